import fc from 'fast-check';
import { expect, it } from 'vitest';
import { applyReceived, EMPTY_SEQUENCE_STATE, type SeqRange, type SequenceState } from './sequence-ranges';

const range = fc
  .tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 8 }))
  .map(([first, len]): SeqRange => ({ first, last: first + len }));

/** The same facts told by a plain set of sequences. */
function model(ranges: readonly SeqRange[]): SequenceState {
  const seen = new Set<number>();
  for (const r of ranges) for (let s = r.first; s <= r.last; s++) seen.add(s);
  const highest = Math.max(0, ...seen);
  let acked = 0;
  while (seen.has(acked + 1)) acked++;
  const missing: SeqRange[] = [];
  for (let s = acked + 1; s <= highest; s++) {
    if (seen.has(s)) continue;
    const prev = missing[missing.length - 1];
    if (prev && prev.last === s - 1) missing[missing.length - 1] = { first: prev.first, last: s };
    else missing.push({ first: s, last: s });
  }
  return { acked, highest, missing };
}

it('agrees with a set of sequences, however the ranges are grouped and ordered', () => {
  fc.assert(
    fc.property(fc.array(fc.array(range, { maxLength: 5 }), { maxLength: 8 }), (receives) => {
      let state = EMPTY_SEQUENCE_STATE;
      for (const receive of receives) state = applyReceived(state, receive);
      expect(state).toEqual(model(receives.flat()));
    }),
  );
});

it('closes a gap when the missing batch arrives late', () => {
  const gap = applyReceived(applyReceived(EMPTY_SEQUENCE_STATE, [{ first: 1, last: 10 }]), [{ first: 21, last: 30 }]);
  expect(gap).toEqual({ acked: 10, highest: 30, missing: [{ first: 11, last: 20 }] });
  expect(applyReceived(gap, [{ first: 11, last: 20 }])).toEqual({ acked: 30, highest: 30, missing: [] });
});
