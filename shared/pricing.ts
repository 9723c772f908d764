import { allocate, mulDivRound } from './arith';
import { assert } from './assert';
import { poisha, type Poisha } from './money';
import type { Milli } from './quantity';
import { vatInInclusive, vatOnExclusive, type VatMode, type VatRate } from './vat';

/**
 * The one pricing rule of Haat (docs/money-and-vat.md):
 *
 * 1. gross      = unit price × quantity, rounded to the poisha (halves away from zero)
 * 2. after line = gross − line discount
 * 3. the cart discount is spread over the lines in proportion to their
 *    after-line amount, largest remainder, so the shares sum to it exactly
 * 4. inclusive: net = after line − share; vat = net × r ÷ (1 + r), rounded
 *    exclusive: base = after line − share; vat = base × r, rounded; net = base + vat
 * 5. invoice total = Σ net; invoice VAT = Σ vat
 *
 * VAT is rounded per line, never on the invoice, so every line a customer or
 * an auditor sees adds up to the invoice exactly.
 */
export interface PricingLine {
  readonly unitPrice: Poisha;
  readonly quantity: Milli;
  readonly vatRate: VatRate;
  readonly vatMode: VatMode;
  readonly lineDiscount: Poisha;
}

export interface PricedLine {
  readonly gross: Poisha;
  readonly lineDiscount: Poisha;
  readonly cartDiscountShare: Poisha;
  /** What the customer pays for this line, VAT included. */
  readonly net: Poisha;
  readonly vat: Poisha;
}

export interface PricedCart {
  readonly lines: readonly PricedLine[];
  /** Σ gross, before any discount. */
  readonly subtotal: Poisha;
  /** Σ line discounts + cart discount. */
  readonly discountTotal: Poisha;
  readonly vatTotal: Poisha;
  readonly total: Poisha;
}

export function lineGross(unitPrice: Poisha, quantity: Milli): Poisha {
  return poisha(mulDivRound(unitPrice, quantity, 1000));
}

export function priceCart(lines: readonly PricingLine[], cartDiscount: Poisha): PricedCart {
  const afterLine = lines.map((l) => {
    const gross = lineGross(l.unitPrice, l.quantity);
    assert(l.lineDiscount >= 0 && l.lineDiscount <= gross, 'a line discount is between 0 and the line amount');
    return { gross, after: gross - l.lineDiscount };
  });
  const base = afterLine.reduce((s, l) => s + l.after, 0);
  assert(cartDiscount >= 0 && cartDiscount <= base, 'a cart discount is between 0 and the discounted subtotal');
  const shares = allocate(
    cartDiscount,
    afterLine.map((l) => l.after),
  );
  let subtotal = 0;
  let discountTotal = cartDiscount as number;
  let vatTotal = 0;
  let total = 0;
  const priced = lines.map((l, i): PricedLine => {
    const a = afterLine[i];
    const share = shares[i];
    assert(a !== undefined && share !== undefined, 'one share per line');
    const amount = poisha(a.after - share);
    let net: Poisha;
    let vat: Poisha;
    if (l.vatMode === 'inclusive') {
      net = amount;
      vat = vatInInclusive(amount, l.vatRate);
    } else {
      vat = vatOnExclusive(amount, l.vatRate);
      net = poisha(amount + vat);
    }
    subtotal += a.gross;
    discountTotal += l.lineDiscount;
    vatTotal += vat;
    total += net;
    return { gross: a.gross, lineDiscount: l.lineDiscount, cartDiscountShare: poisha(share), net, vat };
  });
  return {
    lines: priced,
    subtotal: poisha(subtotal),
    discountTotal: poisha(discountTotal),
    vatTotal: poisha(vatTotal),
    total: poisha(total),
  };
}

/**
 * The amount and VAT to give back when `quantity` more of a sold line is
 * refunded, after `alreadyRefunded`. Computed as the difference of cumulative
 * shares, so refunding a line in any number of parts gives back exactly its
 * net and VAT, never a poisha more or less.
 */
export function refundShare(
  sold: { readonly quantity: Milli; readonly net: Poisha; readonly vat: Poisha },
  alreadyRefunded: Milli,
  quantity: Milli,
): { amount: Poisha; vat: Poisha } {
  assert(sold.quantity > 0, 'a sold line has a positive quantity');
  assert(alreadyRefunded >= 0 && quantity > 0, 'refund quantities are positive');
  assert(alreadyRefunded + quantity <= sold.quantity, 'cannot refund more than was sold');
  const cumulative = (q: number, amount: number) => mulDivRound(amount, q, sold.quantity);
  return {
    amount: poisha(cumulative(alreadyRefunded + quantity, sold.net) - cumulative(alreadyRefunded, sold.net)),
    vat: poisha(cumulative(alreadyRefunded + quantity, sold.vat) - cumulative(alreadyRefunded, sold.vat)),
  };
}
