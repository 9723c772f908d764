import { fail, ok, type Result } from '../../shared/result';
import type { SaleDraft } from '../../shared/sale-draft';
import type { TillDeps } from '../deps';
import { getOpenShift } from '../store/shifts';

/** Starts a new, empty sale on the till's open shift. */
export function startSale(deps: TillDeps, input: { shiftId: string }): Result<SaleDraft> {
  const shift = getOpenShift(deps.db);
  if (!shift) return fail('no-open-shift', 'shiftId', 'Open a shift before ringing up a sale.');
  if (shift.id !== input.shiftId) return fail('shift-not-open', 'shiftId', 'That shift is not open on this till.');
  return ok({
    id: deps.ids.sale(),
    shiftId: shift.id,
    cashierId: shift.cashierId,
    startedAt: deps.now(),
    lines: [],
    cartDiscount: null,
    cartDiscountApprovedBy: null,
    customer: null,
    tenderApprovedBy: null,
    payments: [],
  });
}
