import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, mulDivRound } from './arith';

describe('mulDivRound', () => {
  it('rounds halves away from zero', () => {
    expect(mulDivRound(1, 1, 2)).toBe(1);
    expect(mulDivRound(-1, 1, 2)).toBe(-1);
    expect(mulDivRound(3, 1, 2)).toBe(2);
    expect(mulDivRound(5, 1, 4)).toBe(1);
    expect(mulDivRound(7, 1, 4)).toBe(2);
  });

  it('is exact where floats are not', () => {
    // 9007199254740991 * 3 overflows a double's integer range.
    expect(mulDivRound(9_007_199_254_740_991, 3, 3)).toBe(9_007_199_254_740_991);
  });

  it('is within half a unit of the exact quotient', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 1, max: 1e6 }),
        (a, b, c) => {
          const r = mulDivRound(a, b, c);
          const exact = BigInt(a) * BigInt(b) * 2n - BigInt(r) * BigInt(c) * 2n;
          expect(exact <= BigInt(c) && exact >= -BigInt(c)).toBe(true);
        },
      ),
    );
  });
});

describe('mulDivRound with small operands', () => {
  /** The same rounding, always in BigInt. */
  function exact(a: number, b: number, c: number): number {
    const n = BigInt(a) * BigInt(b);
    const d = BigInt(c);
    const an = n < 0n ? -n : n;
    const ad = d < 0n ? -d : d;
    const q = (an * 2n + ad) / (ad * 2n);
    return Number(n < 0n !== d < 0n ? -q : q);
  }

  it('gives the BigInt answer on both sides of the fast path', () => {
    const edge = 2 ** 51;
    const operand = fc.oneof(
      fc.integer({ min: -1e6, max: 1e6 }),
      fc.integer({ min: -(2 ** 26), max: 2 ** 26 }),
      fc.constantFrom(0, 1, -1, edge, edge - 1, edge + 1, -edge, 2 ** 52, Number.MAX_SAFE_INTEGER),
      fc.maxSafeInteger(),
    );
    fc.assert(
      fc.property(operand, operand, operand, (a, b, c) => {
        fc.pre(c !== 0 && Number.isSafeInteger(exact(a, b, c)));
        expect(Object.is(mulDivRound(a, b, c), exact(a, b, c))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('never gives negative zero', () => {
    expect(Object.is(mulDivRound(-1, 1, 3), 0)).toBe(true);
    expect(Object.is(mulDivRound(1, 1, -3), 0)).toBe(true);
  });
});

describe('allocate', () => {
  it('splits exactly, largest remainder first', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(10, [0, 5, 5])).toEqual([0, 5, 5]);
    expect(allocate(0, [3, 4])).toEqual([0, 0]);
  });

  it('always sums to the total and never gives a zero weight anything', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1e7 }), { minLength: 1, maxLength: 30 }),
        fc.nat(1e7),
        (weights, t) => {
          const total = weights.some((w) => w > 0) ? t : 0;
          const parts = allocate(total, weights);
          expect(parts.reduce((s, p) => s + p, 0)).toBe(total);
          parts.forEach((p, i) => {
            expect(p).toBeGreaterThanOrEqual(0);
            if (weights[i] === 0) expect(p).toBe(0);
          });
        },
      ),
    );
  });
});
