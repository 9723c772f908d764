import { mulDivRound } from './arith';
import type { ProductId, SaleId, ShiftId, StaffId } from './ids';
import { type Poisha, poisha } from './money';
import { lineGross, type PricedCart, priceCart } from './pricing';
import type { Milli, Unit } from './quantity';
import type { Payment } from './tender';
import type { VatMode, VatRate } from './vat';
import type { SaleCustomer } from './wire/events';

/**
 * A sale being rung up. It lives in the till's memory until it is completed;
 * only a completed sale is a fact. Each line keeps the price and VAT it was
 * scanned at, so a price change arriving mid-sale never changes the basket.
 */
export interface DraftLine {
  readonly lineNo: number;
  readonly productId: ProductId;
  readonly barcode: string | null;
  readonly nameEn: string;
  readonly nameBn: string;
  readonly unit: Unit;
  readonly unitPrice: Poisha;
  readonly vatRate: VatRate;
  readonly vatMode: VatMode;
  readonly quantity: Milli;
  readonly lineDiscount: Poisha;
  readonly discountApprovedBy: StaffId | null;
}

/** A cart discount is either a fixed amount or a share of the basket that follows it as it changes. */
export type CartDiscount =
  { readonly kind: 'amount'; readonly amount: Poisha } | { readonly kind: 'percent'; readonly bps: number };

export interface SaleDraft {
  readonly id: SaleId;
  readonly shiftId: ShiftId;
  readonly cashierId: StaffId;
  readonly startedAt: number;
  readonly lines: readonly DraftLine[];
  readonly cartDiscount: CartDiscount | null;
  readonly cartDiscountApprovedBy: StaffId | null;
  readonly payments: readonly Payment[];
  /** Whom the sale is for, when the customer gave a mobile number. */
  readonly customer: SaleCustomer | null;
  /** The manager who let card or mobile money over the branch's offline caps through. */
  readonly tenderApprovedBy: StaffId | null;
}

/** The basket after line discounts: what a cart discount applies to. */
export function discountBase(lines: readonly DraftLine[]): Poisha {
  return poisha(lines.reduce((s, l) => s + lineGross(l.unitPrice, l.quantity) - l.lineDiscount, 0));
}

export function cartDiscountAmount(draft: Pick<SaleDraft, 'lines' | 'cartDiscount'>): Poisha {
  const d = draft.cartDiscount;
  if (!d) return poisha(0);
  if (d.kind === 'amount') return d.amount;
  return poisha(mulDivRound(discountBase(draft.lines), d.bps, 10_000));
}

export function priceDraft(draft: Pick<SaleDraft, 'lines' | 'cartDiscount'>): PricedCart {
  return priceCart(draft.lines, cartDiscountAmount(draft));
}

export function amountPaid(draft: Pick<SaleDraft, 'payments'>): Poisha {
  return poisha(draft.payments.reduce((s, p) => s + p.amount, 0));
}
