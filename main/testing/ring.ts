import type { Result } from '../../shared/result';
import type { SaleDraft } from '../../shared/sale-draft';
import { priceDraft } from '../../shared/sale-draft';
import type { TillDeps } from '../deps';
import { completeSale, type CompletedSale } from '../sale/complete-sale';
import { addLine } from '../sale/edit-lines';
import { startSale } from '../sale/start-sale';
import { addPayment } from '../sale/tender';

/** Unwraps a Result in tests and scripts, failing with the problem in words. */
export function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code} (${r.error.field}): ${r.error.reason}`);
  return r.value;
}

/** Rings up and completes a cash sale of the given barcodes (quantities in thousandths). */
export function ringCashSale(
  deps: TillDeps,
  shiftId: string,
  items: readonly { barcode: string; quantity?: number }[],
  edit: (d: SaleDraft) => SaleDraft = (d) => d,
): CompletedSale {
  let draft = must(startSale(deps, { shiftId }));
  for (const item of items) draft = must(addLine(deps, draft, item));
  draft = edit(draft);
  const due = priceDraft(draft).total;
  if (due > 0) draft = must(addPayment(draft, { method: 'cash', amount: due }));
  return must(completeSale(deps, draft));
}
