import { assert } from './assert';

/**
 * Quantities are integer thousandths, so a kilogram of rice (1000) and three
 * soaps (3000) use one type and one arithmetic.
 */
export type Milli = number & { readonly __brand: 'Milli' };

export const ONE = 1000 as Milli;

export type Unit = 'piece' | 'kg';

export function milli(value: number): Milli {
  assert(Number.isSafeInteger(value), `quantity must be whole thousandths, got ${value}`);
  return value as Milli;
}

/** 3 pieces → 3000; 1.25 kg → 1250. Rounds to the nearest thousandth. */
export function qty(units: number): Milli {
  assert(Number.isFinite(units), `quantity must be finite, got ${units}`);
  return milli(Math.round(units * 1000));
}

/** A piece item can only be sold in whole pieces; a kg item to the gram. */
export function quantityFitsUnit(quantity: Milli, unit: Unit): boolean {
  return unit === 'kg' ? true : quantity % 1000 === 0;
}

/** Parses "2", "1.250", "0.5" into thousandths; null when it is not a quantity. */
export function parseQuantity(text: string): Milli | null {
  const m = /^(\d{1,6})(?:\.(\d{1,3}))?$/.exec(text.trim());
  if (!m) return null;
  return milli(Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0')));
}
