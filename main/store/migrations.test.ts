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
      expect(upgraded.store.write.pragma('user_version', { simple: true })).toBe(loadMigrations().length);
      expect(getSaleByReceipt(upgraded.deps.db, sale.receiptNo)).toMatchObject({ total: taka(190), voided: false });
      expect(upgraded.store.write.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(login(upgraded.deps, { pin: '0000' })).toMatchObject({ ok: false, error: { code: 'wrong-pin' } });
      expect(upgraded.store.write.prepare('SELECT failures FROM pin_attempts').get()).toEqual({ failures: 1 });
    } finally {
      upgraded.store.close();
    }
  });
});
