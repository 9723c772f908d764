import { assert } from './assert';

const SMALL = 2 ** 51;

/**
 * a × b ÷ c on integers, rounded half away from zero, exact for any safe
 * integers (a product too large for a double to hold exactly is taken in
 * BigInt).
 */
export function mulDivRound(a: number, b: number, c: number): number {
  assert(
    Number.isSafeInteger(a) && Number.isSafeInteger(b) && Number.isSafeInteger(c),
    'mulDivRound takes safe integers',
  );
  assert(c !== 0, 'mulDivRound divides by zero');
  // Pricing calls this for every line on every edit, and almost always with
  // small operands, so those take plain numbers: a product of magnitude up to
  // 2^51 is exact (a larger true product never rounds down to it), and then
  // 2|n| + |c| stays below 2^53 and the division is of exact integers. Any
  // larger operand takes BigInt.
  const product = a * b;
  if (Math.abs(product) <= SMALL && Math.abs(c) <= SMALL) {
    const x = 2 * Math.abs(product) + Math.abs(c);
    const y = 2 * Math.abs(c);
    const q = (x - (x % y)) / y;
    // 0 - q, not -q: a zero result is +0, as from the BigInt path.
    return product < 0 !== c < 0 ? 0 - q : q;
  }
  const n = BigInt(a) * BigInt(b);
  const d = BigInt(c);
  const negative = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const q = (an * 2n + ad) / (ad * 2n);
  const result = Number(negative ? -q : q);
  assert(Number.isSafeInteger(result), 'mulDivRound result is out of the safe integer range');
  return result;
}

/**
 * Splits `total` across `weights` in proportion, so that the parts always sum
 * to `total` exactly (largest remainder; ties go to the earlier weight).
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  assert(Number.isSafeInteger(total) && total >= 0, 'allocate takes a non-negative integer total');
  const sum = weights.reduce((s, w) => s + w, 0);
  if (total === 0 || weights.length === 0) return weights.map(() => 0);
  assert(sum > 0, 'allocate needs a positive weight to spread a non-zero total');
  const big = BigInt(total);
  const bigSum = BigInt(sum);
  const parts = weights.map((w) => {
    assert(Number.isSafeInteger(w) && w >= 0, 'allocate takes non-negative integer weights');
    const exact = big * BigInt(w);
    return { floor: Number(exact / bigSum), remainder: exact % bigSum };
  });
  let left = total - parts.reduce((s, p) => s + p.floor, 0);
  const order = parts
    .map((p, i) => ({ i, r: p.remainder }))
    .sort((x, y) => (x.r === y.r ? x.i - y.i : x.r > y.r ? -1 : 1));
  const result = parts.map((p) => p.floor);
  for (const { i } of order) {
    if (left === 0) break;
    result[i] = (result[i] ?? 0) + 1;
    left -= 1;
  }
  return result;
}
