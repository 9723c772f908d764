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
import { loadMigrations, openStore } from './db';
import { searchProducts } from './catalog';
import { getSaleByReceipt } from './sales';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('migration 2 (PIN lockout)', () => {
  it('upgrades a till with sales on schema 1 without touching them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'haat-mig2-'));
    dirs.push(dir);
    const path = join(dir, 'till.sqlite');

    // A till on schema 1 with a day's trading in it.
    const v1 = openStore(path, { upTo: 1 });
    expect(v1.write.pragma('user_version', { simple: true })).toBe(1);
    const identity = { branch: 'CTG01' as BranchCode, till: 1 };
    setTillIdentity(v1.write, identity, Date.now());
    const old = { store: v1, id: identity, deps: { db: v1.write, now: Date.now, ids: createIdFactory(Date.now) } };
    seedShop(old);
    const shift = must(openShift(old.deps, { cashierId: CASHIER.id, openingFloat: taka(500) }));
    const sale = ringCashSale(old.deps, shift.id, [{ barcode: PRODUCTS.oil.barcodes[0]! }]);
    v1.close();

    const upgraded = openTill(path);
    try {
      expect(upgraded.store.write.pragma('user_version', { simple: true })).toBe(loadMigrations().at(-1)!.version);
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
    const dir = mkdtempSync(join(tmpdir(), 'haat-mig5-'));
    dirs.push(dir);
    const path = join(dir, 'till.sqlite');
    const v4 = openStore(path, { upTo: 4 });
    const identity = { branch: 'CTG01' as BranchCode, till: 1 };
    setTillIdentity(v4.write, identity, Date.now());
    seedShop({ store: v4, id: identity, deps: { db: v4.write, now: Date.now, ids: createIdFactory(Date.now) } });
    v4.close();

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
