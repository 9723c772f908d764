import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulDivRound } from './arith';
import { poisha } from './money';
import { lineGross, priceCart, type PricingLine, refundShare } from './pricing';
import { milli } from './quantity';
import { COMMON_VAT_RATES, vatRate } from './vat';

const arbLine: fc.Arbitrary<PricingLine> = fc
  .record({
    unitPrice: fc.integer({ min: 0, max: 5_000_000 }),
    quantity: fc.oneof(
      fc.integer({ min: 1, max: 50 }).map((n) => n * 1000),
      fc.integer({ min: 1, max: 25_000 }),
    ),
    vatRate: fc.oneof(fc.constantFrom(...COMMON_VAT_RATES), fc.integer({ min: 0, max: 10_000 })),
    vatMode: fc.constantFrom('inclusive' as const, 'inclusive' as const, 'exclusive' as const),
    discountPermille: fc.integer({ min: 0, max: 1000 }),
  })
  .map((r) => {
    const gross = lineGross(poisha(r.unitPrice), milli(r.quantity));
    return {
      unitPrice: poisha(r.unitPrice),
      quantity: milli(r.quantity),
      vatRate: vatRate(r.vatRate),
      vatMode: r.vatMode,
      lineDiscount: poisha(Math.floor((gross * r.discountPermille) / 1000)),
    };
  });

const arbCart = fc
  .record({
    lines: fc.array(arbLine, { minLength: 1, maxLength: 40 }),
    cartPermille: fc.integer({ min: 0, max: 1000 }),
  })
  .map(({ lines, cartPermille }) => {
    const base = lines.reduce((s, l) => s + lineGross(l.unitPrice, l.quantity) - l.lineDiscount, 0);
    return { lines, cartDiscount: poisha(Math.floor((base * cartPermille) / 1000)) };
  });

describe('priceCart', () => {
  it('reconciles exactly: Σ line net = total, Σ line VAT = invoice VAT, Σ shares = cart discount', () => {
    fc.assert(
      fc.property(arbCart, ({ lines, cartDiscount }) => {
        const cart = priceCart(lines, cartDiscount);
        expect(cart.lines.reduce((s, l) => s + l.net, 0)).toBe(cart.total);
        expect(cart.lines.reduce((s, l) => s + l.vat, 0)).toBe(cart.vatTotal);
        expect(cart.lines.reduce((s, l) => s + l.cartDiscountShare, 0)).toBe(cartDiscount);
        expect(cart.lines.reduce((s, l) => s + l.gross, 0)).toBe(cart.subtotal);
        expect(cart.discountTotal).toBe(cartDiscount + lines.reduce((s, l) => s + l.lineDiscount, 0));
        const vatAdded = cart.lines.reduce((s, l, i) => s + (lines[i]?.vatMode === 'exclusive' ? l.vat : 0), 0);
        expect(cart.total).toBe(cart.subtotal - cart.discountTotal + vatAdded);
      }),
      { numRuns: 500 },
    );
  });

  it('extracts each line’s VAT by the one rule, within half a poisha of the exact rate', () => {
    fc.assert(
      fc.property(arbCart, ({ lines, cartDiscount }) => {
        const cart = priceCart(lines, cartDiscount);
        cart.lines.forEach((l, i) => {
          const input = lines[i]!;
          expect(l.net).toBeGreaterThanOrEqual(0);
          expect(l.vat).toBeGreaterThanOrEqual(0);
          const charged = l.gross - l.lineDiscount - l.cartDiscountShare;
          if (input.vatMode === 'inclusive') {
            expect(l.net).toBe(charged);
            expect(l.vat).toBe(mulDivRound(charged, input.vatRate, 10_000 + input.vatRate));
            // |vat × (1 + r) − net × r| ≤ (1 + r) / 2, in basis points.
            expect(Math.abs(l.vat * (10_000 + input.vatRate) - l.net * input.vatRate)).toBeLessThanOrEqual(
              (10_000 + input.vatRate) / 2,
            );
          } else {
            expect(l.vat).toBe(mulDivRound(charged, input.vatRate, 10_000));
            expect(l.net).toBe(charged + l.vat);
          }
        });
      }),
      { numRuns: 500 },
    );
  });

  it('spreads the cart discount in proportion, never more than a line can take', () => {
    fc.assert(
      fc.property(arbCart, ({ lines, cartDiscount }) => {
        const cart = priceCart(lines, cartDiscount);
        const base = lines.reduce((s, l) => s + lineGross(l.unitPrice, l.quantity) - l.lineDiscount, 0);
        cart.lines.forEach((l) => {
          const after = l.gross - l.lineDiscount;
          expect(l.cartDiscountShare).toBeLessThanOrEqual(after);
          if (base > 0) expect(Math.abs(l.cartDiscountShare * base - after * cartDiscount)).toBeLessThan(base);
        });
      }),
    );
  });

  it('prices the textbook cases', () => {
    // ৳115 at 15 % inclusive holds ৳15 VAT.
    const a = priceCart(
      [
        {
          unitPrice: poisha(11_500),
          quantity: milli(1000),
          vatRate: vatRate(1500),
          vatMode: 'inclusive',
          lineDiscount: poisha(0),
        },
      ],
      poisha(0),
    );
    expect(a.vatTotal).toBe(1500);
    expect(a.total).toBe(11_500);
    // ৳100 at 7.5 % exclusive is ৳107.50.
    const b = priceCart(
      [
        {
          unitPrice: poisha(10_000),
          quantity: milli(1000),
          vatRate: vatRate(750),
          vatMode: 'exclusive',
          lineDiscount: poisha(0),
        },
      ],
      poisha(0),
    );
    expect(b.total).toBe(10_750);
    // 1.25 kg at ৳135/kg is ৳168.75.
    expect(lineGross(poisha(13_500), milli(1250))).toBe(16_875);
    // 0.333 kg at ৳0.01/kg rounds to the nearest poisha (0.00333 → 0).
    expect(lineGross(poisha(1), milli(333))).toBe(0);
  });
});

describe('refundShare', () => {
  it('gives back exactly the line’s net and VAT whatever the parts', () => {
    fc.assert(
      fc.property(
        arbCart,
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 8 }),
        ({ lines, cartDiscount }, cuts) => {
          const cart = priceCart(lines, cartDiscount);
          cart.lines.forEach((priced, i) => {
            const quantity = lines[i]!.quantity;
            // Split the sold quantity into parts in the proportions `cuts`.
            const weights = cuts.map((c) => c);
            const sumW = weights.reduce((s, w) => s + w, 0);
            const parts: number[] = [];
            let left: number = quantity;
            weights.forEach((w, k) => {
              const part = k === weights.length - 1 ? left : Math.min(left, Math.floor((quantity * w) / sumW));
              if (part > 0) parts.push(part);
              left -= part;
            });
            let refunded = 0;
            let amount = 0;
            let vat = 0;
            for (const part of parts) {
              const share = refundShare({ quantity, net: priced.net, vat: priced.vat }, milli(refunded), milli(part));
              expect(share.amount).toBeGreaterThanOrEqual(0);
              expect(share.vat).toBeGreaterThanOrEqual(0);
              refunded += part;
              amount += share.amount;
              vat += share.vat;
            }
            expect(refunded).toBe(quantity);
            expect(amount).toBe(priced.net);
            expect(vat).toBe(priced.vat);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses to refund more than was sold', () => {
    expect(() =>
      refundShare({ quantity: milli(2000), net: poisha(100), vat: poisha(0) }, milli(1000), milli(1001)),
    ).toThrow(/more than was sold/);
  });
});
