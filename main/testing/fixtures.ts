import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BranchCode, ProductId, StaffId } from '../../shared/ids';
import { poisha, taka } from '../../shared/money';
import type { Unit } from '../../shared/quantity';
import { vatRate } from '../../shared/vat';
import { openTill, type Till } from '../open-till';
import { hashPin } from '../staff/pin';
import { type Product, upsertProduct } from '../store/catalog';
import { inTransaction } from '../store/db';
import { upsertStaff } from '../store/staff';

/**
 * A small, fixed shop used by tests, the demo and benchmarks: a handful of
 * everyday Bangladeshi groceries, a cashier and a manager.
 */
export const CASHIER = {
  id: '0190a000-0000-4000-8000-000000000001' as StaffId,
  code: 'C01',
  name: 'Rahim Uddin',
  pin: '1234',
};
export const MANAGER = {
  id: '0190a000-0000-4000-8000-000000000002' as StaffId,
  code: 'M01',
  name: 'Nasrin Akter',
  pin: '9876',
};

function product(
  n: number,
  nameEn: string,
  nameBn: string,
  priceTaka: number,
  vatBps: number,
  unit: Unit,
  barcode: string,
): Product {
  return {
    id: `0190b000-0000-4000-8000-${String(n).padStart(12, '0')}` as ProductId,
    sku: `SKU${String(n).padStart(5, '0')}`,
    nameEn,
    nameBn,
    category: 'Grocery',
    unit,
    price: taka(priceTaka),
    vatRate: vatRate(vatBps),
    vatMode: 'inclusive',
    active: true,
    barcodes: [barcode],
  };
}

export const PRODUCTS = {
  rice: product(1, 'Miniket Rice', 'মিনিকেট চাল', 78, 0, 'kg', '2000000000017'),
  lentils: product(2, 'Masoor Dal', 'মসুর ডাল', 135, 500, 'kg', '2000000000024'),
  oil: product(3, 'Rupchanda Soybean Oil 1L', 'রূপচাঁদা সয়াবিন তেল ১ লিটার', 190, 750, 'piece', '8941100500019'),
  soap: product(4, 'Lux Soap 100g', 'লাক্স সাবান ১০০ গ্রাম', 55, 1500, 'piece', '8941100500026'),
  tea: product(5, 'Ispahani Mirzapore Tea 400g', 'ইস্পাহানি মির্জাপুর চা ৪০০ গ্রাম', 260, 1000, 'piece', '8941100500033'),
  egg: {
    ...product(6, 'Farm Egg (dozen)', 'ফার্মের ডিম (ডজন)', 150, 0, 'piece', '2000000000062'),
    price: poisha(14_950),
  },
};

export function seedShop(till: Till): void {
  const { db, now } = till.deps;
  inTransaction(db, () => {
    for (const p of Object.values(PRODUCTS)) upsertProduct(db, p, now());
    for (const s of [
      { ...CASHIER, role: 'cashier' as const },
      { ...MANAGER, role: 'manager' as const },
    ]) {
      // A low scrypt cost keeps tests quick; production hashes use the default.
      upsertStaff(db, { ...s, active: true, pinHash: hashPin(s.pin, { N: 1024, r: 8, p: 1 }) }, now());
    }
  });
}

export interface TempTill extends Till {
  readonly dir: string;
  readonly path: string;
  cleanup(): void;
}

/** A provisioned, seeded till on a real SQLite file in a fresh temp folder. */
export function tempTill(
  options: {
    branch?: string;
    till?: number;
    now?: () => number;
    seed?: boolean;
    /** The folder to make the till's folder in; the system's temp folder by default. */
    parent?: string;
  } = {},
): TempTill {
  const dir = mkdtempSync(join(options.parent ?? tmpdir(), 'haat-till-'));
  const path = join(dir, 'till.sqlite');
  const till = openTill(path, {
    identity: { branch: (options.branch ?? 'DHK01') as BranchCode, till: options.till ?? 2 },
    ...(options.now ? { now: options.now } : {}),
  });
  if (options.seed !== false) seedShop(till);
  return {
    ...till,
    dir,
    path,
    cleanup() {
      till.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
