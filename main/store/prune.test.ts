import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { taka } from '../../shared/money';
import { refundSale } from '../sale/refund-sale';
import { voidSale } from '../sale/void-sale';
import { closeShift } from '../shift/close-shift';
import { openShift } from '../shift/open-shift';
import { CASHIER, MANAGER, PRODUCTS, tempTill, type TempTill } from '../testing/fixtures';
import { must, ringCashSale } from '../testing/ring';
import { stockOf } from './catalog';
import { applyAcknowledgement, markQueued, outboxCounts, readOutbox } from './outbox';
import { pruneAcknowledged } from './prune';
import { getSaleByReceipt } from './sales';

const DAY = 86_400_000;
let now = 1_763_900_000_000;
let till: TempTill;
beforeEach(() => {
  now = 1_763_900_000_000;
  till = tempTill({ now: () => now });
});
afterEach(() => till.cleanup());

const soap = { barcode: PRODUCTS.soap.barcodes[0]! };
const ackThrough = (seq: number) => {
  markQueued(till.deps.db, 1, seq, now);
  applyAcknowledgement(till.deps.db, { ackedThrough: seq, missing: [] }, now);
};
const exists = (receiptNo: string) => getSaleByReceipt(till.deps.db, receiptNo) !== undefined;

describe('pruning after ✔✔ and the retention window', () => {
  it('removes only what head office confirmed and what is old, and keeps stock and numbering', () => {
    const shift = must(openShift(till.deps, { cashierId: CASHIER.id, openingFloat: taka(100) }));
    const a = ringCashSale(till.deps, shift.id, [soap]);
    const c = ringCashSale(till.deps, shift.id, [soap]);
    const d = ringCashSale(till.deps, shift.id, [soap]);
    ackThrough(outboxCounts(till.deps.db).lastSeq);
    const b = ringCashSale(till.deps, shift.id, [soap]); // never acknowledged
    must(voidSale(till.deps, { receiptNo: d.receiptNo, managerPin: MANAGER.pin, reason: 'x' })); // void not acknowledged
    must(closeShift(till.deps, { shiftId: shift.id, closedBy: CASHIER.id, denominations: {} }));
    const stockBefore = stockOf(till.deps.db, PRODUCTS.soap.id);

    now += 40 * DAY;
    const later = must(openShift(till.deps, { cashierId: CASHIER.id, openingFloat: 0 }));
    must(
      refundSale(till.deps, {
        receiptNo: c.receiptNo,
        lines: 'all',
        method: 'cash',
        managerPin: MANAGER.pin,
        reason: 'x',
      }),
    );

    now += 10 * DAY;
    const first = pruneAcknowledged(till.deps.db, now - 45 * DAY);
    expect(first.sales).toBe(1);
    expect([a, b, c, d].map((s) => exists(s.receiptNo))).toEqual([false, true, true, true]);
    expect(stockOf(till.deps.db, PRODUCTS.soap.id)).toBe(stockBefore + 1000);
    // Unacknowledged events are all still there to be sent.
    expect(readOutbox(till.deps.db, 1, 100).filter((r) => r.tick !== 'acked')).toHaveLength(
      outboxCounts(till.deps.db).pending,
    );

    // Head office confirms everything; months later all of it goes, the shift too.
    ackThrough(outboxCounts(till.deps.db).lastSeq);
    must(closeShift(till.deps, { shiftId: later.id, closedBy: CASHIER.id, denominations: {} }));
    ackThrough(outboxCounts(till.deps.db).lastSeq);
    now += 100 * DAY;
    const second = pruneAcknowledged(till.deps.db, now - 45 * DAY);
    expect(second).toMatchObject({ sales: 3, shifts: 2 });
    expect(till.deps.db.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual({ n: 0 });
    expect(till.deps.db.prepare('SELECT count(*) AS n FROM stock_movements').get()).toEqual({ n: 0 });
    expect(stockOf(till.deps.db, PRODUCTS.soap.id)).toBe(stockBefore + 1000);
    expect(till.deps.db.pragma('foreign_key_check')).toEqual([]);

    // Numbering continues where it was: nothing is reused.
    const next = must(openShift(till.deps, { cashierId: CASHIER.id, openingFloat: 0 }));
    const e = ringCashSale(till.deps, next.id, [soap]);
    expect(e.receiptNo).toBe('DHK01-2-000005');
    expect(e.outboxSeq).toBe(outboxCounts(till.deps.db).lastSeq);
    expect(outboxCounts(till.deps.db)).toMatchObject({ pending: 2 }); // the new shift and its sale
  });

  it('keeps everything inside the retention window, acknowledged or not', () => {
    const shift = must(openShift(till.deps, { cashierId: CASHIER.id, openingFloat: 0 }));
    const a = ringCashSale(till.deps, shift.id, [soap]);
    ackThrough(outboxCounts(till.deps.db).lastSeq);
    now += 44 * DAY;
    expect(pruneAcknowledged(till.deps.db, now - 45 * DAY)).toEqual({ sales: 0, shifts: 0, outbox: 0, movements: 0 });
    expect(exists(a.receiptNo)).toBe(true);
  });
});
