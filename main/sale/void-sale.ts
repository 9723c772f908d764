import { normalizeReceiptNo } from '../../shared/receipt';
import { fail, ok, type Result } from '../../shared/result';
import type { SaleVoided } from '../../shared/wire/events';
import type { TillDeps } from '../deps';
import { approveByManager } from '../staff/login';
import { inTransaction } from '../store/db';
import { appendEvent } from '../store/outbox';
import { getSaleByReceipt, insertVoid } from '../store/sales';
import { getOpenShift } from '../store/shifts';

export interface VoidSaleInput {
  readonly receiptNo: string;
  readonly managerPin: string;
  readonly reason: string;
}

/**
 * Voids a completed sale as if it never happened: only in the shift that rang
 * it up (after that, it is a refund), only with a manager's PIN, and only if
 * nothing of it was refunded. The sale stays on record; the void is a new fact.
 */
export function voidSale(deps: TillDeps, input: VoidSaleInput): Result<SaleVoided> {
  const receiptNo = normalizeReceiptNo(String(input.receiptNo ?? ''));
  if (!receiptNo) return fail('invalid-receipt-no', 'receiptNo', 'A receipt number looks like DHK01-2-000123.');
  const reason = String(input.reason ?? '').trim();
  if (reason.length === 0 || reason.length > 200) {
    return fail('invalid-reason', 'reason', 'Say why the sale is voided (up to 200 characters).');
  }
  const manager = approveByManager(deps, input.managerPin);
  if (!manager.ok) return manager;
  return inTransaction(deps.db, () => {
    const sale = getSaleByReceipt(deps.db, receiptNo);
    if (!sale) return fail('receipt-not-found', 'receiptNo', `No sale ${receiptNo} on this till.`);
    if (sale.voided) return fail('already-voided', 'receiptNo', `Sale ${receiptNo} is already voided.`);
    if (sale.refundedTotal > 0 || sale.lines.some((l) => l.refundedQuantity > 0)) {
      return fail(
        'sale-has-refunds',
        'receiptNo',
        `Part of ${receiptNo} was refunded; refund the rest instead of voiding.`,
      );
    }
    const shift = getOpenShift(deps.db);
    if (!shift || shift.id !== sale.shiftId) {
      return fail(
        'void-outside-shift',
        'receiptNo',
        `${receiptNo} was rung up in an earlier shift; refund it instead.`,
      );
    }
    const voidedAt = deps.now();
    const event: SaleVoided = {
      voidId: deps.ids.void(),
      saleId: sale.id,
      receiptNo,
      shiftId: shift.id,
      cashierId: shift.cashierId,
      managerId: manager.value.id,
      reason,
      voidedAt,
    };
    const appended = appendEvent(deps.db, deps.ids, 'sale.voided', event, voidedAt);
    insertVoid(deps.db, event, sale.lines, appended.seq);
    return ok(event);
  });
}
