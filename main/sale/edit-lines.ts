import { milli, quantityFitsUnit, type Milli, type Unit } from '../../shared/quantity';
import { fail, ok, type Result } from '../../shared/result';
import { type DraftLine, priceDraft, type SaleDraft } from '../../shared/sale-draft';
import { lineGross } from '../../shared/pricing';
import type { Product } from '../store/catalog';
import { findByBarcode, getProduct } from '../store/catalog';
import type { TillDeps } from '../deps';

/** Most a single line may hold: 10,000 pieces or 10 tonnes. */
const MAX_QUANTITY = 10_000_000;

export function checkQuantity(quantity: unknown, unit: Unit, field: string): Result<Milli> {
  if (typeof quantity !== 'number' || !Number.isSafeInteger(quantity)) {
    return fail('invalid-quantity', field, 'The quantity must be a number in thousandths.');
  }
  if (quantity <= 0)
    return fail('invalid-quantity', field, 'The quantity must be more than zero; remove the line instead.');
  if (quantity > MAX_QUANTITY) return fail('invalid-quantity', field, 'That quantity is too large for one line.');
  if (!quantityFitsUnit(milli(quantity), unit)) {
    return fail('invalid-quantity', field, 'This item is sold by the piece; enter a whole number.');
  }
  return ok(milli(quantity));
}

/**
 * Refuses an edit that would leave the cart inconsistent (a discount larger
 * than what it applies to), so the cashier sees why at the step that caused it.
 */
function checked(draft: SaleDraft, field: string): Result<SaleDraft> {
  for (const l of draft.lines) {
    if (l.lineDiscount > lineGross(l.unitPrice, l.quantity)) {
      return fail(
        'discount-exceeds-line',
        field,
        `The discount on line ${l.lineNo} is more than the line; lower it first.`,
      );
    }
  }
  const { cartDiscount } = draft;
  if (cartDiscount?.kind === 'amount') {
    const base = draft.lines.reduce((s, l) => s + lineGross(l.unitPrice, l.quantity) - l.lineDiscount, 0);
    if (cartDiscount.amount > base) {
      return fail('discount-exceeds-total', field, 'The cart discount would be more than the cart; lower it first.');
    }
  }
  priceDraft(draft);
  return ok(draft);
}

export type AddLineInput =
  { readonly barcode: string; readonly quantity?: number } | { readonly productId: string; readonly quantity?: number };

/**
 * Adds a product by barcode (the scanner) or by id (a search result). Scanning
 * a counted item already in the cart adds to its line; loose goods get a line
 * per weighing.
 */
export function addLine(deps: Pick<TillDeps, 'db' | 'now'>, draft: SaleDraft, input: AddLineInput): Result<SaleDraft> {
  let product: Product | undefined;
  let barcode: string | null = null;
  if ('barcode' in input) {
    barcode = typeof input.barcode === 'string' ? input.barcode.trim() : '';
    if (!/^[0-9A-Za-z-]{1,64}$/.test(barcode)) {
      return fail('invalid-barcode', 'barcode', 'A barcode is 1–64 letters or digits.');
    }
    product = findByBarcode(deps.db, barcode);
    if (!product)
      return fail('unknown-barcode', 'barcode', `No product has barcode ${barcode}. The cart is unchanged.`);
  } else {
    product = typeof input.productId === 'string' ? getProduct(deps.db, input.productId) : undefined;
    if (!product) return fail('unknown-product', 'productId', 'That product is not in this till’s catalog.');
  }
  if (!product.active)
    return fail('product-inactive', barcode ? 'barcode' : 'productId', `${product.nameEn} is no longer sold.`);
  const quantity = checkQuantity(input.quantity ?? 1000, product.unit, 'quantity');
  if (!quantity.ok) return quantity;

  const last = draft.lines.at(-1);
  if (product.unit === 'piece' && last && last.productId === product.id && last.lineDiscount === 0) {
    const merged = checkQuantity(last.quantity + quantity.value, product.unit, 'quantity');
    if (!merged.ok) return merged;
    return checked({ ...draft, lines: [...draft.lines.slice(0, -1), { ...last, quantity: merged.value }] }, 'quantity');
  }
  const line: DraftLine = {
    lineNo: (last?.lineNo ?? 0) + 1,
    productId: product.id,
    barcode,
    nameEn: product.nameEn,
    nameBn: product.nameBn,
    unit: product.unit,
    unitPrice: product.price,
    vatRate: product.vatRate,
    vatMode: product.vatMode,
    quantity: quantity.value,
    lineDiscount: 0 as DraftLine['lineDiscount'],
    discountApprovedBy: null,
  };
  return checked({ ...draft, lines: [...draft.lines, line] }, 'quantity');
}

function findLine(draft: SaleDraft, lineNo: unknown): Result<DraftLine> {
  const line = draft.lines.find((l) => l.lineNo === lineNo);
  return line ? ok(line) : fail('unknown-line', 'lineNo', `There is no line ${String(lineNo)} in this sale.`);
}

export function changeQuantity(draft: SaleDraft, input: { lineNo: number; quantity: number }): Result<SaleDraft> {
  const line = findLine(draft, input.lineNo);
  if (!line.ok) return line;
  const quantity = checkQuantity(input.quantity, line.value.unit, 'quantity');
  if (!quantity.ok) return quantity;
  return checked(
    { ...draft, lines: draft.lines.map((l) => (l.lineNo === input.lineNo ? { ...l, quantity: quantity.value } : l)) },
    'quantity',
  );
}

export function removeLine(draft: SaleDraft, input: { lineNo: number }): Result<SaleDraft> {
  const line = findLine(draft, input.lineNo);
  if (!line.ok) return line;
  return checked({ ...draft, lines: draft.lines.filter((l) => l.lineNo !== input.lineNo) }, 'lineNo');
}
