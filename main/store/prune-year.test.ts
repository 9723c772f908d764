import { existsSync, statSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { priceDraft, type SaleDraft } from '../../shared/sale-draft';
import { DEFAULT_BRANCH_SETTINGS } from '../../shared/settings';
import { closeShift } from '../shift/close-shift';
import { openShift } from '../shift/open-shift';
import { goOffline, goOnline } from '../sync/offline-mode';
import { CASHIER, PRODUCTS, tempTill, type TempTill } from '../testing/fixtures';
import { completeSale } from '../sale/complete-sale';
import { addLine } from '../sale/edit-lines';
import { startSale } from '../sale/start-sale';
import { addPayment } from '../sale/tender';
import { must } from '../testing/ring';
import { inTransaction } from './db';
import { tillDbHealth } from './db-health';
import { applyAcknowledgement, markQueued, outboxCounts } from './outbox';
import { pruneAcknowledged } from './prune';

/**
 * A year of one till, to show that pruning after ✔✔ keeps its database
 * bounded: 100 sales a day of three lines each (36,500 sales), a shift a
 * day, an hour offline every week, and a sync at the end of each day that
 * does to the till what a real one does: the pull brings ✔✔ for what the
 * previous evening's push sent (head office confirms one sync later), the
 * push marks everything pending ✔, then the real prune with the branch's
 * default retention of 45 days. (Azurite and head office are not in the
 * loop: test/sync covers the same steps over the real network.)
 *
 * The bound: once 45 days are kept, each day prunes about as much as it
 * adds and SQLite reuses the freed pages, so the file stops growing. Here
 * the file and its write-ahead log level off at about 22 MiB from day 60
 * (a kept sale with its lines, payment, stock movements and outbox row takes
 * some 3.6 KiB of file all told). The test holds the till to: at the end of
 * the year at most 10 % more than after day 100, never more than that in
 * between, and under 32 MiB. Never pruned, the year would be some 130 MiB.
 *
 * Baskets are scanned through the real use cases and completed with the
 * real completeSale, a day to a transaction; about 15 s of CPU on this
 * machine (under a minute while other work shares its two cores).
 */
const DAY = 86_400_000;
const DAYS = 365;
const SALES_PER_DAY = 100;
/** Baskets are scanned through the real use cases; each basket is paid and completed this many times. */
const SALES_PER_BASKET = 10;
const MiB = 1024 * 1024;
const start = Date.UTC(2026, 0, 1, 3, 0); // 09:00 in Dhaka

let till: TempTill;
let now = start;
beforeAll(() => {
  // A file in memory where the machine has one (Linux's /dev/shm): the same
  // SQLite file and statements, without a year of waits for the disk's flushes.
  till = tempTill({ now: () => now, ...(existsSync('/dev/shm') ? { parent: '/dev/shm' } : {}) });
});
afterAll(() => till.cleanup());

const size = () => {
  const wal = (() => {
    try {
      return statSync(`${till.path}-wal`).size;
    } catch {
      return 0;
    }
  })();
  return statSync(till.path).size + wal;
};

/** Three items scanned and paid in cash, through the use cases a cashier's screen calls. */
function scanBasket(shiftId: string, n: number): SaleDraft {
  const { deps } = till;
  const products = Object.values(PRODUCTS).filter((p) => p.unit === 'piece');
  let draft = must(startSale(deps, { shiftId }));
  for (let k = 0; k < 3; k++) {
    draft = must(addLine(deps, draft, { barcode: products[(n + k) % products.length]!.barcodes[0]! }));
  }
  return must(addPayment(draft, { method: 'cash', amount: priceDraft(draft).total }));
}

it('keeps a till’s database bounded through a year of sales with daily syncs and pruning', () => {
  const { deps } = till;
  const retention = DEFAULT_BRANCH_SETTINGS.retentionDays;
  const sizes: number[] = [];
  let sentUpTo = 0;
  let sold = 0;
  for (let day = 0; day < DAYS; day++) {
    now = start + day * DAY;
    if (day % 7 === 3) {
      must(goOffline(deps, { cause: 'network', by: null, detail: 'No answer from head office: timed out' }));
      now += 3_600_000;
      must(goOnline(deps, { cause: 'network', by: null }));
    }
    inTransaction(deps.db, () => {
      const shift = must(openShift(deps, { cashierId: CASHIER.id, openingFloat: 500_000 }));
      let basket: SaleDraft | null = null;
      for (let i = 0; i < SALES_PER_DAY; i++) {
        now += 300_000;
        if (i % SALES_PER_BASKET === 0) basket = scanBasket(shift.id, sold);
        must(completeSale(deps, { ...basket!, id: deps.ids.sale(), startedAt: now - 60_000 }));
        sold += 1;
      }
      must(closeShift(deps, { shiftId: shift.id, closedBy: CASHIER.id, denominations: {} }));
    });
    // The evening sync: ✔✔ for what the last one sent, ✔ for everything now, then the prune.
    const last = outboxCounts(deps.db).lastSeq;
    applyAcknowledgement(deps.db, { ackedThrough: sentUpTo, missing: [] }, now);
    markQueued(deps.db, sentUpTo + 1, last, now);
    sentUpTo = last;
    pruneAcknowledged(deps.db, now - retention * DAY);
    sizes.push(size());
  }

  expect(sold).toBe(DAYS * SALES_PER_DAY);
  const kept = deps.db.prepare('SELECT count(*) AS n FROM sales').get() as { n: number };
  // What is kept is the retention window and the day head office has not confirmed yet.
  expect(kept.n).toBeLessThanOrEqual((retention + 2) * SALES_PER_DAY);
  expect(kept.n).toBeGreaterThanOrEqual(retention * SALES_PER_DAY);
  const health = tillDbHealth(till.store.read);
  expect(health.oldestUnsyncedSale).not.toBeNull();
  expect(health.rowsWaiting).toBeLessThanOrEqual(SALES_PER_DAY + 4);
  const atDay100 = sizes[99]!;
  const final = sizes[DAYS - 1]!;
  expect(final).toBeLessThanOrEqual(atDay100 * 1.1);
  expect(final).toBeLessThan(32 * MiB);
  expect(Math.max(...sizes.slice(100))).toBeLessThanOrEqual(atDay100 * 1.1);
}, 120_000);
