import { formatReceiptNo, type ReceiptNo } from '../../shared/receipt';
import type { Poisha } from '../../shared/money';
import { fail, ok, type Result } from '../../shared/result';
import { cartDiscountAmount, priceDraft, type SaleDraft } from '../../shared/sale-draft';
import { settle } from '../../shared/tender';
import type { SaleCompleted } from '../../shared/wire/events';
import type { SaleId } from '../../shared/ids';
import type { TillDeps } from '../deps';
import { inTransaction } from '../store/db';
import { appendEvent } from '../store/outbox';
import { completionState, insertSale } from '../store/sales';
import { getTillIdentity, nextCounter } from '../store/till';
import { recordCustomerSale } from '../store/customers';
import { discountsWithinApproval } from './discounts';
import { withinOfflineCaps } from './tender';

export interface CompletedSale {
  readonly saleId: SaleId;
  readonly receiptNo: ReceiptNo;
  readonly total: Poisha;
  readonly change: Poisha;
  readonly outboxSeq: number;
  readonly event: SaleCompleted;
}

/**
 * Completes a sale. In one transaction it writes the sale, its lines and
 * payments, the stock movements, and the outbox event with the till's next
 * gap-free sequence; and takes the next receipt number. When this returns ok
 * the sale is on disk (synchronous=FULL), whatever happens next.
 */
export interface CompleteOptions {
  /** The till cannot reach head office: card and mobile money are held to the branch's offline caps. */
  readonly offline?: boolean;
}

export function completeSale(deps: TillDeps, draft: SaleDraft, options: CompleteOptions = {}): Result<CompletedSale> {
  const offline = options.offline ?? false;
  if (draft.lines.length === 0) return fail('empty-sale', 'lines', 'A sale needs at least one item.');
  const approvals = discountsWithinApproval(deps, draft);
  if (!approvals.ok) return approvals;
  const priced = priceDraft(draft);
  const settlement = settle(priced.total, draft.payments);
  if (!settlement.ok) return settlement;
  const till = getTillIdentity(deps.db);
  if (!till) return fail('till-not-provisioned', 'till', 'This till has no branch and number yet; provision it first.');
  const caps = withinOfflineCaps(deps, draft, offline);
  if (!caps.ok) return caps;

  return inTransaction(deps.db, () => {
    const state = completionState(deps.db, draft.id, draft.shiftId);
    if (!state.shiftOpen) {
      return fail('shift-not-open', 'shiftId', 'The shift this sale was started on is closed; start the sale again.');
    }
    if (state.completed) {
      return fail('already-completed', 'saleId', 'This sale is already complete; start a new one.');
    }
    const completedAt = deps.now();
    const receiptSeq = nextCounter(deps.db, 'receipt');
    const receiptNo = formatReceiptNo({ branch: till.branch, till: till.till, seq: receiptSeq });
    const event: SaleCompleted = {
      saleId: draft.id,
      receiptNo,
      shiftId: draft.shiftId,
      cashierId: draft.cashierId,
      startedAt: draft.startedAt,
      completedAt,
      lines: draft.lines.map((l, i) => {
        const p = priced.lines[i];
        if (!p) throw new Error('priced lines match draft lines');
        return {
          lineNo: i + 1,
          productId: l.productId,
          barcode: l.barcode,
          nameEn: l.nameEn,
          nameBn: l.nameBn,
          unit: l.unit,
          quantity: l.quantity,
          unitPrice: l.unitPrice,
          vatRate: l.vatRate,
          vatMode: l.vatMode,
          gross: p.gross,
          lineDiscount: p.lineDiscount,
          cartDiscountShare: p.cartDiscountShare,
          net: p.net,
          vat: p.vat,
          discountApprovedBy: l.discountApprovedBy,
        };
      }),
      subtotal: priced.subtotal,
      cartDiscount: cartDiscountAmount(draft),
      cartDiscountApprovedBy: draft.cartDiscountApprovedBy,
      discountTotal: priced.discountTotal,
      vatTotal: priced.vatTotal,
      total: priced.total,
      payments: draft.payments.map((p) => ({ method: p.method, amount: p.amount, reference: p.reference })),
      cashReceived: settlement.value.cashReceived,
      change: settlement.value.change,
      customer: draft.customer,
      offline,
      tenderApprovedBy: draft.tenderApprovedBy,
    };
    if (draft.customer) recordCustomerSale(deps.db, draft.customer, priced.total, completedAt);
    const appended = appendEvent(deps.db, deps.ids, 'sale.completed', event, completedAt);
    insertSale(deps.db, event, receiptSeq, appended.seq);
    return ok({
      saleId: draft.id,
      receiptNo,
      total: priced.total,
      change: settlement.value.change,
      outboxSeq: appended.seq,
      event,
    });
  });
}
