import { poisha, type Poisha } from '../../shared/money';
import { fail, ok, type Result } from '../../shared/result';
import type { TillDeps } from '../deps';
import { inTransaction } from '../store/db';
import { appendEvent } from '../store/outbox';
import { getOpenShift, insertShift, type Shift } from '../store/shifts';
import { getStaff } from '../store/staff';

export interface OpenShiftInput {
  readonly cashierId: string;
  /** Cash in the drawer at the start, in poisha. */
  readonly openingFloat: number;
}

export function openShift(deps: TillDeps, input: OpenShiftInput): Result<Shift> {
  if (!Number.isSafeInteger(input.openingFloat) || input.openingFloat < 0) {
    return fail('invalid-amount', 'openingFloat', 'The opening float must be ৳0.00 or more, in whole poisha.');
  }
  const cashier = getStaff(deps.db, input.cashierId);
  if (!cashier || !cashier.active) return fail('unknown-staff', 'cashierId', 'No active staff member has that id.');
  const openingFloat: Poisha = poisha(input.openingFloat);
  return inTransaction(deps.db, () => {
    const open = getOpenShift(deps.db);
    if (open) return fail('shift-already-open', 'cashierId', 'A shift is already open on this till; close it first.');
    const openedAt = deps.now();
    const shift: Shift = {
      id: deps.ids.shift(),
      cashierId: cashier.id,
      openingFloat,
      openedAt,
      closedAt: null,
      zReport: null,
    };
    insertShift(deps.db, shift);
    appendEvent(
      deps.db,
      deps.ids,
      'shift.opened',
      { shiftId: shift.id, cashierId: cashier.id, openingFloat, openedAt },
      openedAt,
    );
    return ok(shift);
  });
}
