import { assert } from './assert';

/**
 * Money is integer poisha (1 taka = 100 poisha), never a float. The brand keeps
 * a quantity or a rate from being passed where money is expected.
 */
export type Poisha = number & { readonly __brand: 'Poisha' };

export const ZERO = 0 as Poisha;

export function poisha(value: number): Poisha {
  assert(Number.isSafeInteger(value), `money must be a whole number of poisha, got ${value}`);
  return value as Poisha;
}

/** Whole taka to poisha (`taka(120)` is ৳120.00). */
export function taka(whole: number): Poisha {
  assert(Number.isSafeInteger(whole), `taka() takes whole taka, got ${whole}`);
  return poisha(whole * 100);
}

/**
 * Parses what a person types: "120", "120.5", "1,20,000.50", "৳ 99". Returns
 * null when it is not an amount with at most two decimals.
 */
export function parseTaka(text: string): Poisha | null {
  const cleaned = toLatinDigits(text)
    .replace(/[৳,\s]/g, '')
    .replace(/^Tk\.?/i, '');
  const m = /^(-)?(\d{1,13})(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!m) return null;
  const whole = Number(m[2]);
  const fraction = Number((m[3] ?? '').padEnd(2, '0'));
  const value = whole * 100 + fraction;
  return poisha(m[1] ? -value : value);
}

export function sum(values: readonly Poisha[]): Poisha {
  let total = 0;
  for (const v of values) total += v;
  return poisha(total);
}

const BANGLA_ZERO = 0x09e6;

export function toLatinDigits(text: string): string {
  return text.replace(/[০-৯]/g, (d) => String(d.charCodeAt(0) - BANGLA_ZERO));
}

export function toBanglaDigits(text: string): string {
  return text.replace(/[0-9]/g, (d) => String.fromCharCode(BANGLA_ZERO + Number(d)));
}
