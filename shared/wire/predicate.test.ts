import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compilePredicate } from './predicate';

/** What zod and the predicate say about each value, side by side. */
function verdicts(schema: z.ZodType, values: readonly unknown[]): { zod: boolean; predicate: boolean }[] {
  const accepts = compilePredicate(schema);
  return values.map((v) => ({ zod: schema.safeParse(v).success, predicate: accepts(v) }));
}

describe('compilePredicate', () => {
  it.each([
    ['an int with bounds', z.int().min(1).max(10), [1, 10, 0, 11, 1.5, Number.NaN, Infinity, '1', null]],
    ['an int with exclusive bounds', z.int().gt(1).lt(10), [2, 9, 1, 10]],
    ['a safe int', z.int(), [2 ** 53 - 1, 2 ** 53, -(2 ** 53), -0]],
    ['a string pattern', z.string().regex(/^[A-Z]{2}$/), ['AB', 'ab', 'ABC', '', 7]],
    ['a string length', z.string().max(3), ['abc', 'abcd', '']],
    ['an enum', z.enum(['piece', 'kg']), ['piece', 'kg', 'g', null]],
    ['a literal', z.literal('sale'), ['sale', 'sales']],
    ['nullable', z.string().max(2).nullable(), [null, 'ab', 'abc', undefined]],
    ['an array', z.array(z.int()).min(1).max(2), [[1], [1, 2], [], [1, 2, 3], [1.5], 'ab']],
    [
      'an object',
      z.object({ a: z.int(), b: z.string() }),
      [{ a: 1, b: 'x' }, { a: 1, b: 'x', extra: true }, { a: 1 }, [], null, { a: '1', b: 'x' }],
    ],
    ['unknown', z.unknown(), [undefined, null, {}, 1]],
  ] as const)('agrees with zod on %s', (_, schema, values) => {
    for (const [i, v] of verdicts(schema, values).entries()) {
      expect(v.predicate, `value ${i}: ${String(values[i])}`).toBe(v.zod);
    }
  });

  it.each([
    ['optional', z.object({ a: z.int().optional() }), { a: 1 }],
    ['default', z.object({ a: z.int().default(1) }), { a: 1 }],
    ['a refinement', z.int().refine((n) => n > 0), 1],
    ['a refined object', z.object({ a: z.int() }).refine(() => true), { a: 1 }],
    ['a strict object', z.strictObject({ a: z.int() }), { a: 1 }],
    ['a loose object', z.looseObject({ a: z.int() }), { a: 1 }],
    ['a record', z.record(z.string(), z.int()), { a: 1 }],
    ['a union', z.union([z.int(), z.string()]), 1],
    ['a transform', z.string().transform((s) => s.length), 'a'],
    ['a fractional number', z.number(), 1],
    ['a string format', z.email(), 'a@b.cd'],
    ['a global pattern', z.string().regex(/a/g), 'a'],
    ['a minimum string length', z.string().min(1), 'a'],
  ] as const)('does not vouch for what it does not know: %s', (_, schema, value) => {
    expect(schema.safeParse(value).success).toBe(true);
    expect(compilePredicate(schema)(value)).toBe(false);
  });

  it('counts lengths in UTF-16 units, never more leniently than zod counts code points', () => {
    // Two code points, four units: zod accepts, the predicate leaves it to zod.
    expect(verdicts(z.string().max(2), ['😀😀', '😀😀😀'])).toEqual([
      { zod: true, predicate: false },
      { zod: false, predicate: false },
    ]);
  });
});
