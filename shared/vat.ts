import { mulDivRound } from './arith';
import { assert } from './assert';
import { poisha, type Poisha } from './money';

/**
 * A VAT rate in basis points: 750 is 7.5 %. Bangladesh uses 0, 5, 7.5, 10 and
 * 15 % most, but any rate from 0 to 100 % is representable exactly.
 */
export type VatRate = number & { readonly __brand: 'VatRate' };

export const COMMON_VAT_RATES = [0, 500, 750, 1000, 1500] as VatRate[];

export function vatRate(basisPoints: number): VatRate {
  assert(
    Number.isSafeInteger(basisPoints) && basisPoints >= 0 && basisPoints <= 10_000,
    `a VAT rate is 0..10000 basis points, got ${basisPoints}`,
  );
  return basisPoints as VatRate;
}

/**
 * How a shelf price relates to VAT. `inclusive` (MRP, the default in
 * Bangladeshi retail): the price already contains VAT. `exclusive`: VAT is
 * added on top.
 */
export type VatMode = 'inclusive' | 'exclusive';

/**
 * The VAT contained in a VAT-inclusive amount: amount × rate ÷ (1 + rate),
 * rounded to the nearest poisha, halves away from zero.
 */
export function vatInInclusive(amount: Poisha, rate: VatRate): Poisha {
  return poisha(mulDivRound(amount, rate, 10_000 + rate));
}

/** The VAT added on top of a VAT-exclusive amount, rounded the same way. */
export function vatOnExclusive(amount: Poisha, rate: VatRate): Poisha {
  return poisha(mulDivRound(amount, rate, 10_000));
}

export function formatVatRate(rate: VatRate): string {
  return `${(rate / 100).toString()}%`;
}
