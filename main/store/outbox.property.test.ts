import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taka } from '../../shared/money';
import type { SyncTick } from '../../shared/pos-api';
import { openShift } from '../shift/open-shift';
import { CASHIER, PRODUCTS, tempTill, type TempTill } from '../testing/fixtures';
import { must, ringCashSale } from '../testing/ring';
import { inTransaction } from './db';
import {
  applyAcknowledgement,
  markQueued,
  outboxCounts,
  pendingEventsBetween,
  readOutbox,
  requeueStale,
} from './outbox';

/**
 * The marks table against the plainest model of what the marks mean: one
 * ✔ time and one ✔✔ flag per event, as the outbox rows carried them before
 * till migration 0006. Any sequence of marks, acknowledgements, missing
 * ranges, stale resends and new sales must leave both saying the same.
 */
interface Mark {
  queuedAt: number | null;
  acked: boolean;
}

type Op =
  | { kind: 'mark'; from: number; to: number; at: number }
  | { kind: 'ack'; through: number; missing: { from: number; to: number }[]; at: number; graceMs: number }
  | { kind: 'stale'; before: number }
  | { kind: 'sale' };

const INITIAL_EVENTS = 24;
const seq = fc.integer({ min: 0, max: INITIAL_EVENTS + 8 });
const time = fc.integer({ min: 1, max: 40 });
const range = fc.tuple(seq, fc.integer({ min: 0, max: 6 })).map(([from, n]) => ({ from, to: from + n }));
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record({ kind: fc.constant('mark' as const), r: range, at: time })
      .map(({ r, at }) => ({ kind: 'mark' as const, ...r, at })),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('ack' as const),
      through: seq,
      missing: fc.array(range, { maxLength: 3 }),
      at: time,
      graceMs: fc.integer({ min: 0, max: 20 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stale' as const), before: time }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'sale' as const }) },
);

/** What the outbox rows' UPDATEs did, event by event. */
function applyToModel(model: Mark[], o: Op): number | { acked: number; requeued: number } {
  const inRange = (from: number, to: number) => model.slice(Math.max(0, from - 1), Math.max(0, to));
  switch (o.kind) {
    case 'mark': {
      const fresh = inRange(o.from, o.to).filter((m) => m.queuedAt === null);
      for (const m of fresh) m.queuedAt = o.at;
      return fresh.length;
    }
    case 'ack': {
      const newly = inRange(1, o.through).filter((m) => !m.acked);
      for (const m of newly) {
        m.acked = true;
        m.queuedAt ??= o.at;
      }
      let requeued = 0;
      for (const r of o.missing) {
        for (const m of inRange(r.from, r.to)) {
          if (!m.acked && m.queuedAt !== null && m.queuedAt <= o.at - o.graceMs) {
            m.queuedAt = null;
            requeued++;
          }
        }
      }
      return { acked: newly.length, requeued };
    }
    case 'stale': {
      const stale = model.filter((m) => !m.acked && m.queuedAt !== null && m.queuedAt < o.before);
      for (const m of stale) m.queuedAt = null;
      return stale.length;
    }
    case 'sale':
      model.push({ queuedAt: null, acked: false });
      return 0;
  }
}

const tickOf = (m: Mark): SyncTick => (m.acked ? 'acked' : m.queuedAt !== null ? 'queued' : 'local');

let till: TempTill;
let shiftId: string;
const ringSoap = () => ringCashSale(till.deps, shiftId, [{ barcode: PRODUCTS.soap.barcodes[0]! }]);
beforeAll(() => {
  till = tempTill();
  shiftId = must(openShift(till.deps, { cashierId: CASHIER.id, openingFloat: taka(100) })).id;
  while (outboxCounts(till.deps.db).lastSeq < INITIAL_EVENTS) ringSoap();
});

afterAll(() => till.cleanup());

describe('the outbox marks', () => {
  it('say what one mark per event would say, whatever happens in whatever order', () => {
    const db = till.deps.db;
    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
        // Every run starts from INITIAL_EVENTS pending events, in a transaction rolled back after.
        const rollback = new Error('rollback');
        try {
          inTransaction(db, () => {
            db.prepare('DELETE FROM outbox_queued').run();
            db.prepare('UPDATE outbox_acked SET through_seq = 0').run();
            const model: Mark[] = Array.from({ length: outboxCounts(db).lastSeq }, () => ({
              queuedAt: null,
              acked: false,
            }));
            for (const o of ops) {
              const expected = applyToModel(model, o);
              const actual =
                o.kind === 'mark'
                  ? markQueued(db, o.from, o.to, o.at)
                  : o.kind === 'ack'
                    ? applyAcknowledgement(db, { ackedThrough: o.through, missing: o.missing }, o.at, o.at - o.graceMs)
                    : o.kind === 'stale'
                      ? requeueStale(db, o.before)
                      : (ringSoap(), 0);
              expect(actual, JSON.stringify(o)).toEqual(expected);
            }
            expect(readOutbox(db, 1, 1000).map((r) => r.tick)).toEqual(model.map(tickOf));
            expect(outboxCounts(db)).toEqual({
              lastSeq: model.length,
              pending: model.filter((m) => tickOf(m) === 'local').length,
              queuedNotAcked: model.filter((m) => tickOf(m) === 'queued').length,
            });
            const pendingSeqs = model.flatMap((m, i) => (tickOf(m) === 'local' ? [i + 1] : []));
            expect(pendingEventsBetween(db, 0, model.length, 1000).map((e) => e.seq)).toEqual(pendingSeqs);
            expect(pendingEventsBetween(db, 7, 20, 5).map((e) => e.seq)).toEqual(
              pendingSeqs.filter((s) => s > 7 && s <= 20).slice(0, 5),
            );
            throw rollback;
          });
        } catch (e) {
          if (e !== rollback) throw e;
        }
      }),
      { numRuns: 300 },
    );
  });
});
