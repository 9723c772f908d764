import { fail, ok, type Result } from '../../shared/result';
import type { ZReport } from '../../shared/wire/events';
import type { TillDeps } from '../deps';
import { inTransaction } from '../store/db';
import { appendEvent } from '../store/outbox';
import { computeZReport, getOpenShift, markShiftClosed } from '../store/shifts';
import { getStaff } from '../store/staff';

/** Bangladeshi notes and coins in circulation, in taka. */
export const DENOMINATIONS = [1000, 500, 200, 100, 50, 20, 10, 5, 2, 1] as const;

export interface CloseShiftInput {
  readonly shiftId: string;
  readonly closedBy: string;
  /** How many of each note or coin were counted, keyed by its value in taka. */
  readonly denominations: Readonly<Record<string, number>>;
}

export function closeShift(deps: TillDeps, input: CloseShiftInput): Result<ZReport> {
  let counted = 0;
  const denominations: Record<string, number> = {};
  for (const [key, count] of Object.entries(input.denominations ?? {})) {
    if (!DENOMINATIONS.some((d) => String(d) === key)) {
      return fail('invalid-denomination', `denominations.${key}`, `৳${key} is not a Bangladeshi note or coin.`);
    }
    if (!Number.isSafeInteger(count) || count < 0) {
      return fail('invalid-count', `denominations.${key}`, 'A count is a whole number, 0 or more.');
    }
    if (count > 0) denominations[key] = count;
    counted += Number(key) * 100 * count;
  }
  const closer = getStaff(deps.db, input.closedBy);
  if (!closer || !closer.active) return fail('unknown-staff', 'closedBy', 'No active staff member has that id.');
  return inTransaction(deps.db, () => {
    const shift = getOpenShift(deps.db);
    if (!shift || shift.id !== input.shiftId) {
      return fail('shift-not-open', 'shiftId', 'That shift is not open on this till.');
    }
    const closedAt = deps.now();
    const z = computeZReport(deps.db, shift, counted);
    markShiftClosed(deps.db, { id: shift.id, closedAt, closedBy: closer.id, denominations, z });
    appendEvent(
      deps.db,
      deps.ids,
      'shift.closed',
      {
        shiftId: shift.id,
        cashierId: shift.cashierId,
        closedBy: closer.id,
        openedAt: shift.openedAt,
        closedAt,
        denominations,
        z,
      },
      closedAt,
    );
    return ok(z);
  });
}
