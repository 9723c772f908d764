import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { taka } from '../../shared/money';
import { openShift } from '../shift/open-shift';
import { CASHIER, PRODUCTS, tempTill, type TempTill } from '../testing/fixtures';
import { must, ringCashSale } from '../testing/ring';
import {
  applyAcknowledgement,
  markQueued,
  outboxCounts,
  pendingEventsBetween,
  pendingRanges,
  readOutbox,
  requeueStale,
} from './outbox';

let till: TempTill;
let shiftId: string;
beforeEach(() => {
  till = tempTill();
  shiftId = must(openShift(till.deps, { cashierId: CASHIER.id, openingFloat: taka(100) })).id;
  for (let i = 0; i < 9; i++) ringSoap();
});
afterEach(() => till.cleanup());

const ringSoap = () => ringCashSale(till.deps, shiftId, [{ barcode: PRODUCTS.soap.barcodes[0]! }]);

const state = () =>
  readOutbox(till.deps.db)
    .map((r) => `${r.seq}${r.tick === 'acked' ? '✔✔' : r.tick === 'queued' ? '✔' : '·'}`)
    .join(' ');

const pending = () => pendingEventsBetween(till.deps.db, 0, Number.MAX_SAFE_INTEGER, 100).map((r) => r.seq);

const queuedRows = () =>
  till.deps.db.prepare('SELECT first_seq, last_seq, queued_at FROM outbox_queued ORDER BY first_seq').all();

describe('outbox sync state', () => {
  it('moves events from pending to ✔ to ✔✔', () => {
    expect(outboxCounts(till.deps.db)).toEqual({ lastSeq: 10, pending: 10, queuedNotAcked: 0 });
    expect(markQueued(till.deps.db, 1, 6, 1000)).toBe(6);
    expect(pending()).toEqual([7, 8, 9, 10]);
    expect(applyAcknowledgement(till.deps.db, { ackedThrough: 4, missing: [] }, 2000)).toEqual({
      acked: 4,
      requeued: 0,
    });
    expect(state()).toBe('1✔✔ 2✔✔ 3✔✔ 4✔✔ 5✔ 6✔ 7· 8· 9· 10·');
    expect(outboxCounts(till.deps.db)).toEqual({ lastSeq: 10, pending: 4, queuedNotAcked: 2 });
  });

  it('sends again what the central side reports missing', () => {
    markQueued(till.deps.db, 1, 10, 1000);
    // Central holds 1..3 and 6..10; 4 and 5 were lost after the queue accepted them.
    expect(applyAcknowledgement(till.deps.db, { ackedThrough: 3, missing: [{ from: 4, to: 5 }] }, 2000)).toEqual({
      acked: 3,
      requeued: 2,
    });
    expect(pending()).toEqual([4, 5]);
    // Marking them again after a resend is idempotent with the rest.
    expect(markQueued(till.deps.db, 4, 5, 3000)).toBe(2);
    expect(applyAcknowledgement(till.deps.db, { ackedThrough: 10, missing: [] }, 4000)).toEqual({
      acked: 7,
      requeued: 0,
    });
    expect(outboxCounts(till.deps.db)).toEqual({ lastSeq: 10, pending: 0, queuedNotAcked: 0 });
  });

  it('does not send again a missing range queued within the grace period', () => {
    markQueued(till.deps.db, 1, 5, 1000);
    markQueued(till.deps.db, 6, 10, 5000);
    const r = applyAcknowledgement(till.deps.db, { ackedThrough: 0, missing: [{ from: 3, to: 8 }] }, 6000, 2000);
    expect(r).toEqual({ acked: 0, requeued: 3 });
    expect(state()).toBe('1✔ 2✔ 3· 4· 5· 6✔ 7✔ 8✔ 9✔ 10✔');
  });

  it('sends again what stayed ✔ without ✔✔ past the timeout', () => {
    markQueued(till.deps.db, 1, 5, 1000);
    markQueued(till.deps.db, 6, 10, 5000);
    expect(requeueStale(till.deps.db, 2000)).toBe(5);
    expect(pending()).toEqual([1, 2, 3, 4, 5]);
  });

  it('never un-acknowledges an event', () => {
    markQueued(till.deps.db, 1, 10, 1000);
    applyAcknowledgement(till.deps.db, { ackedThrough: 5, missing: [] }, 2000);
    applyAcknowledgement(till.deps.db, { ackedThrough: 2, missing: [{ from: 3, to: 4 }] }, 3000);
    requeueStale(till.deps.db, 10_000);
    expect(state()).toBe('1✔✔ 2✔✔ 3✔✔ 4✔✔ 5✔✔ 6· 7· 8· 9· 10·');
  });

  it('acknowledges only events the till has written, never a sequence it has yet to use', () => {
    markQueued(till.deps.db, 1, 10, 1000);
    expect(applyAcknowledgement(till.deps.db, { ackedThrough: 50, missing: [] }, 2000)).toEqual({
      acked: 10,
      requeued: 0,
    });
    expect(markQueued(till.deps.db, 11, 20, 3000)).toBe(0);
    ringSoap();
    expect(state()).toBe('1✔✔ 2✔✔ 3✔✔ 4✔✔ 5✔✔ 6✔✔ 7✔✔ 8✔✔ 9✔✔ 10✔✔ 11·');
    expect(pending()).toEqual([11]);
  });
});

describe('the marks table', () => {
  it('keeps a push marked in one commit as one row, and a mark never rewrites an outbox row', () => {
    const before = till.deps.db.prepare('SELECT total_changes() AS n').get() as { n: number };
    for (const [from, to] of [
      [1, 3],
      [4, 6],
      [7, 10],
    ] as const) {
      markQueued(till.deps.db, from, to, 1000);
    }
    expect(queuedRows()).toEqual([{ first_seq: 1, last_seq: 10, queued_at: 1000 }]);
    // Three marks: an insert and two extensions of the same row.
    expect((till.deps.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n - before.n).toBe(3);
  });

  it('takes a missing range out of the middle of a mark, keeping when the rest was queued', () => {
    markQueued(till.deps.db, 1, 10, 1000);
    applyAcknowledgement(till.deps.db, { ackedThrough: 2, missing: [{ from: 5, to: 6 }] }, 3000);
    expect(queuedRows()).toEqual([
      { first_seq: 3, last_seq: 4, queued_at: 1000 },
      { first_seq: 7, last_seq: 10, queued_at: 1000 },
    ]);
    expect(pendingRanges(till.deps.db, 0, 10)).toEqual([{ from: 5, to: 6 }]);
    // The resend is marked at its own time and stays apart from the older marks.
    expect(markQueued(till.deps.db, 5, 6, 4000)).toBe(2);
    expect(requeueStale(till.deps.db, 2000)).toBe(6);
    expect(state()).toBe('1✔✔ 2✔✔ 3· 4· 5✔ 6✔ 7· 8· 9· 10·');
  });

  it('reads only the pending rows, round by round', () => {
    markQueued(till.deps.db, 2, 3, 1000);
    markQueued(till.deps.db, 6, 8, 1000);
    expect(pendingEventsBetween(till.deps.db, 0, 10, 3).map((e) => e.seq)).toEqual([1, 4, 5]);
    expect(pendingEventsBetween(till.deps.db, 5, 10, 3).map((e) => e.seq)).toEqual([9, 10]);
    expect(pendingEventsBetween(till.deps.db, 0, 8, 100).map((e) => e.seq)).toEqual([1, 4, 5]);
    const [first] = pendingEventsBetween(till.deps.db, 0, 10, 1);
    expect(Buffer.from(first!.body).toString()).toMatch(/^\{"seq":1,/);
  });
});
