import { milli } from '../../shared/quantity';
import { refundShare } from '../../shared/pricing';
import { normalizeReceiptNo } from '../../shared/receipt';
import { fail, ok, type Result } from '../../shared/result';
import { checkPayment, PAYMENT_METHODS, type PaymentMethod } from '../../shared/tender';
import { poisha } from '../../shared/money';
import type { SaleRefunded } from '../../shared/wire/events';
import type { TillDeps } from '../deps';
import { approveByManager } from '../staff/login';
import { inTransaction } from '../store/db';
import { appendEvent } from '../store/outbox';
import { getSaleByReceipt, insertRefund } from '../store/sales';
import { getOpenShift } from '../store/shifts';
import { getBranchSettings } from '../store/till';
import { checkQuantity } from './edit-lines';

export interface RefundSaleInput {
  readonly receiptNo: string;
  /** The lines and quantities to refund; 'all' refunds whatever is left. */
  readonly lines: 'all' | readonly { readonly lineNo: number; readonly quantity: number }[];
  /** How the money goes back: cash, or a method the sale was paid with. */
  readonly method: PaymentMethod;
  readonly reference?: string | null;
  readonly managerPin: string;
  readonly reason: string;
}

/**
 * Refunds all or part of a completed sale against its receipt number, never
 * more of a line than was sold minus what was already refunded. Amounts come
 * from what the customer actually paid for the line (after discounts), so a
 * sale refunded in any number of parts gives back exactly its total.
 */
export function refundSale(deps: TillDeps, input: RefundSaleInput): Result<SaleRefunded> {
  const receiptNo = normalizeReceiptNo(String(input.receiptNo ?? ''));
  if (!receiptNo) return fail('invalid-receipt-no', 'receiptNo', 'A receipt number looks like DHK01-2-000123.');
  if (!PAYMENT_METHODS.includes(input.method)) {
    return fail('invalid-method', 'method', `Choose one of ${PAYMENT_METHODS.join(', ')}.`);
  }
  const reason = String(input.reason ?? '').trim();
  if (reason.length === 0 || reason.length > 200) {
    return fail('invalid-reason', 'reason', 'Say why the sale is refunded (up to 200 characters).');
  }
  const manager = approveByManager(deps, input.managerPin);
  if (!manager.ok) return manager;

  return inTransaction(deps.db, () => {
    const shift = getOpenShift(deps.db);
    if (!shift) return fail('no-open-shift', 'shiftId', 'Open a shift before giving a refund.');
    const sale = getSaleByReceipt(deps.db, receiptNo);
    if (!sale) {
      return fail(
        'receipt-not-found',
        'receiptNo',
        `No sale ${receiptNo} on this till. Refunds are given at the till that sold, within ${getBranchSettings(deps.db).retentionDays} days of the sale.`,
      );
    }
    if (sale.voided)
      return fail('sale-voided', 'receiptNo', `Sale ${receiptNo} was voided; there is nothing to refund.`);
    if (input.method !== 'cash' && !sale.payments.some((p) => p.method === input.method)) {
      return fail(
        'refund-method-not-used',
        'method',
        `${receiptNo} was not paid by ${input.method}; refund in cash or by a method it was paid with.`,
      );
    }

    const requested =
      input.lines === 'all'
        ? sale.lines
            .filter((l) => l.quantity > l.refundedQuantity)
            .map((l) => ({ lineNo: l.lineNo, quantity: l.quantity - l.refundedQuantity }))
        : input.lines;
    if (!Array.isArray(requested) || requested.length === 0) {
      return fail(
        input.lines === 'all' ? 'fully-refunded' : 'invalid-lines',
        'lines',
        input.lines === 'all'
          ? `Everything on ${receiptNo} was already refunded.`
          : 'Choose at least one line to refund.',
      );
    }
    const seen = new Set<number>();
    const lines: SaleRefunded['lines'][number][] = [];
    for (const [i, r] of requested.entries()) {
      const field = `lines[${i}]`;
      const sold = sale.lines.find((l) => l.lineNo === r.lineNo);
      if (!sold) return fail('unknown-line', `${field}.lineNo`, `${receiptNo} has no line ${String(r.lineNo)}.`);
      if (seen.has(sold.lineNo))
        return fail('duplicate-line', `${field}.lineNo`, `Line ${sold.lineNo} is listed twice.`);
      seen.add(sold.lineNo);
      const quantity = checkQuantity(r.quantity, sold.unit, `${field}.quantity`);
      if (!quantity.ok) return quantity;
      const left = sold.quantity - sold.refundedQuantity;
      if (quantity.value > left) {
        return fail(
          'over-refund',
          `${field}.quantity`,
          left === 0
            ? `${sold.nameEn} was already refunded in full.`
            : `Only ${left / 1000} of ${sold.nameEn} can still be refunded.`,
        );
      }
      const share = refundShare(sold, milli(sold.refundedQuantity), quantity.value);
      lines.push({
        lineNo: sold.lineNo,
        productId: sold.productId,
        quantity: quantity.value,
        amount: share.amount,
        vat: share.vat,
      });
    }
    const total = poisha(lines.reduce((s, l) => s + l.amount, 0));
    const vatTotal = poisha(lines.reduce((s, l) => s + l.vat, 0));
    let reference: string | null = null;
    if (input.method !== 'cash' && total > 0) {
      const checked = checkPayment(
        { method: input.method, amount: total, reference: input.reference ?? null },
        'refund',
      );
      if (!checked.ok) return fail(checked.error.code, 'reference', checked.error.reason);
      reference = checked.value.reference;
    }
    const refundedAt = deps.now();
    const event: SaleRefunded = {
      refundId: deps.ids.refund(),
      saleId: sale.id,
      receiptNo,
      shiftId: shift.id,
      cashierId: shift.cashierId,
      managerId: manager.value.id,
      method: input.method,
      reference,
      lines,
      total,
      vatTotal,
      reason,
      refundedAt,
    };
    const appended = appendEvent(deps.db, deps.ids, 'sale.refunded', event, refundedAt);
    insertRefund(deps.db, event, appended.seq);
    return ok(event);
  });
}
