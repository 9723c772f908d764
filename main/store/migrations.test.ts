import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { taka } from '../../shared/money';
import { openShift } from '../shift/open-shift';
import { login } from '../staff/login';
import { CASHIER, PRODUCTS } from '../testing/fixtures';
import { must, ringCashSale } from '../testing/ring';
import { openTill } from '../open-till';
import { seedShop } from '../testing/fixtures';
import { type BranchCode, createIdFactory } from '../../shared/ids';
import { setTillIdentity } from './till';
import { latestSchemaVersion, openStore } from './db';
import { searchProducts } from './catalog';
import { getSaleByReceipt } from './sales';
import { outboxCounts, pendingEventsBetween, readOutbox, requeueStale } from './outbox';
import { pendingSalesCount, recentSalesWithTicks } from '../api/sale-ticks';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A till database stopped at schema `version`, provisioned and stocked with the test shop. */
function tillOnSchema(version: number) {
  const dir = mkdtempSync(join(tmpdir(), `haat-mig${version + 1}-`));
  dirs.push(dir);
  const path = join(dir, 'till.sqlite');
  const store = openStore(path, { upTo: version });
  expect(store.write.pragma('user_version', { simple: true })).toBe(version);
  const id = { branch: 'CTG01' as BranchCode, till: 1 };
  setTillIdentity(store.write, id, Date.now());
  const old = { store, id, deps: { db: store.write, now: Date.now, ids: createIdFactory(Date.now) } };
  seedShop(old);
  return { path, old };
}

describe('migration 2 (PIN lockout)', () => {
  it('upgrades a till with sales on schema 1 without touching them', () => {
    // A till on schema 1 with a day's trading in it.
    const { path, old } = tillOnSchema(1);
    const shift = must(openShift(old.deps, { cashierId: CASHIER.id, openingFloat: taka(500) }));
    const sale = ringCashSale(old.deps, shift.id, [{ barcode: PRODUCTS.oil.barcodes[0]! }]);
    old.store.close();

    const upgraded = openTill(path);
    try {
      expect(upgraded.store.write.pragma('user_version', { simple: true })).toBe(latestSchemaVersion());
      expect(getSaleByReceipt(upgraded.deps.db, sale.receiptNo)).toMatchObject({ total: taka(190), voided: false });
      expect(upgraded.store.write.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(login(upgraded.deps, { pin: '0000' })).toMatchObject({ ok: false, error: { code: 'wrong-pin' } });
      expect(upgraded.store.write.prepare('SELECT failures FROM pin_attempts').get()).toEqual({ failures: 1 });
    } finally {
      upgraded.store.close();
    }
  });
});

describe('migration 5 (full-text index rewritten only on a name change)', () => {
  it('leaves the index alone when only the price changes, and follows a rename', () => {
    const { path, old } = tillOnSchema(4);
    old.store.close();

    const till = openTill(path);
    try {
      const db = till.deps.db;
      const changes = (run: () => void) => {
        const before = db.prepare('SELECT total_changes() AS n').get() as { n: number };
        run();
        return (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n - before.n;
      };
      // An upsert names both name columns even when they stay the same: one row changes, no index rows.
      const priceOnly = 'UPDATE products SET name_en = name_en, name_bn = name_bn, price = price + 100 WHERE id = ?';
      expect(changes(() => db.prepare(priceOnly).run(PRODUCTS.tea.id))).toBe(1);
      expect(searchProducts(db, 'Mirzapore').map((p) => p.id)).toEqual([PRODUCTS.tea.id]);

      const rename = "UPDATE products SET name_en = 'Seylon Gold Tea 400g' WHERE id = ?";
      expect(changes(() => db.prepare(rename).run(PRODUCTS.tea.id))).toBeGreaterThan(1);
      expect(searchProducts(db, 'Mirzapore')).toEqual([]);
      expect(searchProducts(db, 'Seylon').map((p) => p.id)).toEqual([PRODUCTS.tea.id]);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      till.store.close();
    }
  });
});

describe('migration 6 (sync marks beside the outbox)', () => {
  /** A till on schema 5 with a shift and `sales` sales: `sales + 1` outbox events. */
  function tillOnSchema5(sales: number) {
    const { path, old } = tillOnSchema(5);
    const v5 = old.store;
    const shift = must(openShift(old.deps, { cashierId: CASHIER.id, openingFloat: taka(500) }));
    const receipts = Array.from(
      { length: sales },
      () => ringCashSale(old.deps, shift.id, [{ barcode: PRODUCTS.soap.barcodes[0]! }]).receiptNo,
    );
    return { path, v5, receipts, shiftId: shift.id };
  }

  it('carries every ✔ and ✔✔ across, and the till sends exactly what it would have sent', () => {
    const { path, v5, receipts } = tillOnSchema5(12);
    const mark = (sql: string, ...args: number[]) => v5.write.prepare(sql).run(...args);
    // 1..4 ✔✔ (1..2 already pruned), 5..7 and 10..11 ✔ in one push, 8 ✔ in a later one, 9, 12 and 13 pending.
    mark('UPDATE outbox SET queued_at = 100, acked_at = 150 WHERE seq <= 4');
    mark('DELETE FROM outbox WHERE seq <= 2');
    mark('UPDATE outbox SET queued_at = 200 WHERE seq BETWEEN 5 AND 7 OR seq BETWEEN 10 AND 11');
    mark('UPDATE outbox SET queued_at = 300 WHERE seq = 8');
    v5.close();

    const till = openTill(path);
    try {
      const db = till.deps.db;
      expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion());
      expect(db.prepare('SELECT through_seq FROM outbox_acked').get()).toEqual({ through_seq: 4 });
      expect(db.prepare('SELECT first_seq, last_seq, queued_at FROM outbox_queued ORDER BY first_seq').all()).toEqual([
        { first_seq: 5, last_seq: 7, queued_at: 200 },
        { first_seq: 8, last_seq: 8, queued_at: 300 },
        { first_seq: 10, last_seq: 11, queued_at: 200 },
      ]);
      expect(readOutbox(db).map((r) => `${r.seq}${r.tick}`)).toEqual([
        '3acked',
        '4acked',
        ...[5, 6, 7, 8].map((s) => `${s}queued`),
        '9local',
        '10queued',
        '11queued',
        '12local',
        '13local',
      ]);
      expect(outboxCounts(db)).toEqual({ lastSeq: 13, pending: 3, queuedNotAcked: 6 });
      expect(pendingEventsBetween(db, 0, 13, 100).map((e) => e.seq)).toEqual([9, 12, 13]);
      // Sale n is outbox event n + 1 (the shift opened first).
      const ticks = new Map(recentSalesWithTicks(db, 20).map((s) => [s.receiptNo, s.tick]));
      expect(receipts.map((r) => ticks.get(r))).toEqual([
        'acked',
        'acked',
        'acked',
        'queued',
        'queued',
        'queued',
        'queued',
        'local',
        'queued',
        'queued',
        'local',
        'local',
      ]);
      expect(pendingSalesCount(db)).toBe(3);
      // The marks kept their times: what stayed ✔ since 200 goes again, the later push does not.
      expect(requeueStale(db, 250)).toBe(5);
      expect(pendingEventsBetween(db, 0, 13, 100).map((e) => e.seq)).toEqual([5, 6, 7, 9, 10, 11, 12, 13]);
      const columns = (db.prepare('PRAGMA table_info(outbox)').all() as { name: string }[]).map((c) => c.name);
      expect(columns).toEqual(['seq', 'event_id', 'type', 'body', 'created_at']);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      till.store.close();
    }
  });

  it('knows every event is ✔✔ when the whole outbox was confirmed and pruned', () => {
    const { path, v5, shiftId } = tillOnSchema5(3);
    v5.write.prepare('UPDATE outbox SET queued_at = 100, acked_at = 150').run();
    v5.write.prepare('DELETE FROM outbox').run();
    v5.close();

    const till = openTill(path);
    try {
      const db = till.deps.db;
      expect(db.prepare('SELECT through_seq FROM outbox_acked').get()).toEqual({ through_seq: 4 });
      expect(outboxCounts(db)).toEqual({ lastSeq: 4, pending: 0, queuedNotAcked: 0 });
      expect(recentSalesWithTicks(db, 5).map((s) => s.tick)).toEqual(['acked', 'acked', 'acked']);
      // The next sale continues the sequence and is pending.
      const next = ringCashSale(till.deps, shiftId, [{ barcode: PRODUCTS.soap.barcodes[0]! }]);
      expect(next.outboxSeq).toBe(5);
      expect(pendingEventsBetween(db, 0, 5, 100).map((e) => e.seq)).toEqual([5]);
      expect(recentSalesWithTicks(db, 5).map((s) => s.tick)).toEqual(['local', 'acked', 'acked', 'acked']);
    } finally {
      till.store.close();
    }
  });
});
