/**
 * What head office knows about one till's gap-free outbox sequence: the
 * highest n such that 1..n are all here (`acked`, the ✔✔ the till is told),
 * the highest sequence seen at all, and the ranges missing in between, which
 * the pull hands back so that the till sends them again.
 */
export interface SeqRange {
  readonly first: number;
  readonly last: number;
}

export interface SequenceState {
  readonly acked: number;
  readonly highest: number;
  /** Sorted, disjoint, all within acked+1..highest-1. */
  readonly missing: readonly SeqRange[];
}

export const EMPTY_SEQUENCE_STATE: SequenceState = { acked: 0, highest: 0, missing: [] };

function subtract(ranges: readonly SeqRange[], cut: SeqRange): SeqRange[] {
  const out: SeqRange[] = [];
  for (const r of ranges) {
    if (cut.last < r.first || cut.first > r.last) {
      out.push(r);
      continue;
    }
    if (r.first < cut.first) out.push({ first: r.first, last: cut.first - 1 });
    if (r.last > cut.last) out.push({ first: cut.last + 1, last: r.last });
  }
  return out;
}

/** The state after the ranges in `received` arrive, in any order, any number of times. */
export function applyReceived(state: SequenceState, received: readonly SeqRange[]): SequenceState {
  let highest = state.highest;
  let missing = [...state.missing];
  for (const r of [...received].sort((a, b) => a.first - b.first)) {
    if (r.last > highest) {
      if (r.first > highest + 1) missing.push({ first: highest + 1, last: r.first - 1 });
      highest = r.last;
    }
  }
  for (const r of received) missing = subtract(missing, r);
  missing.sort((a, b) => a.first - b.first);
  const acked = missing[0] ? missing[0].first - 1 : highest;
  return { acked, highest, missing };
}
