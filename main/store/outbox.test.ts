import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { taka } from '../../shared/money';
import { openShift } from '../shift/open-shift';
import { CASHIER, PRODUCTS, tempTill, type TempTill } from '../testing/fixtures';
import { must, ringCashSale } from '../testing/ring';
import { applyAcknowledgement, markQueued, outboxCounts, pendingEvents, readOutbox, requeueStale } from './outbox';

let till: TempTill;
beforeEach(() => {
  till = tempTill();
  const shift = must(openShift(till.deps, { cashierId: CASHIER.id, openingFloat: taka(100) }));
  for (let i = 0; i < 9; i++) ringCashSale(till.deps, shift.id, [{ barcode: PRODUCTS.soap.barcodes[0]! }]);
});
afterEach(() => till.cleanup());

const state = () =>
  readOutbox(till.deps.db)
    .map((r) => `${r.seq}${r.ackedAt ? '✔✔' : r.queuedAt ? '✔' : '·'}`)
    .join(' ');

describe('outbox sync state', () => {
  it('moves events from pending to ✔ to ✔✔', () => {
    expect(outboxCounts(till.deps.db)).toEqual({ lastSeq: 10, pending: 10, queuedNotAcked: 0 });
    expect(markQueued(till.deps.db, 1, 6, 1000)).toBe(6);
    expect(pendingEvents(till.deps.db, 100).map((r) => r.seq)).toEqual([7, 8, 9, 10]);
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
    expect(pendingEvents(till.deps.db, 100).map((r) => r.seq)).toEqual([4, 5]);
    // Marking them again after a resend is idempotent with the rest.
    expect(markQueued(till.deps.db, 4, 5, 3000)).toBe(2);
    expect(applyAcknowledgement(till.deps.db, { ackedThrough: 10, missing: [] }, 4000)).toEqual({
      acked: 7,
      requeued: 0,
    });
    expect(outboxCounts(till.deps.db)).toEqual({ lastSeq: 10, pending: 0, queuedNotAcked: 0 });
  });

  it('sends again what stayed ✔ without ✔✔ past the timeout', () => {
    markQueued(till.deps.db, 1, 5, 1000);
    markQueued(till.deps.db, 6, 10, 5000);
    expect(requeueStale(till.deps.db, 2000)).toBe(5);
    expect(pendingEvents(till.deps.db, 100).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('never un-acknowledges an event', () => {
    markQueued(till.deps.db, 1, 10, 1000);
    applyAcknowledgement(till.deps.db, { ackedThrough: 5, missing: [] }, 2000);
    applyAcknowledgement(till.deps.db, { ackedThrough: 2, missing: [{ from: 3, to: 4 }] }, 3000);
    requeueStale(till.deps.db, 10_000);
    expect(state()).toBe('1✔✔ 2✔✔ 3✔✔ 4✔✔ 5✔✔ 6· 7· 8· 9· 10·');
  });
});
