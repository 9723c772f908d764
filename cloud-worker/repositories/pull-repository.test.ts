import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BRANCH_SETTINGS } from '../../shared/settings';
import { productInput } from '../testing/api-fixture';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../testing/test-database';
import {
  insertBranch,
  masterDataChange,
  updateBranchSettings,
  upsertProduct,
  upsertStaff,
} from './master-data-repository';
import { formatCursor, isKnownCursor, parseCursor, readChanges } from './pull-repository';

const PIN_HASH = 'scrypt$16384$8$1$c2FsdA==$aGFzaA==';

function staffInput(code: string) {
  return { id: randomUUID(), code, name: `Cashier ${code}`, role: 'cashier' as const, active: true, pinHash: PIN_HASH };
}

describe.each(databaseKinds())('the pull of master data on %s', (kind) => {
  let t: TestDatabase;
  let sku = 0;
  const product = () => ({ ...productInput(`P${++sku}`), id: randomUUID() });

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    await masterDataChange(t.db, async (tx, seq) => {
      await insertBranch(tx, seq, { code: 'KEY01', nameEn: 'Keyset', nameBn: '', settings: DEFAULT_BRANCH_SETTINGS });
      await insertBranch(tx, seq, { code: 'OTH01', nameEn: 'Other', nameBn: '', settings: DEFAULT_BRANCH_SETTINGS });
    });
    // Changes that mix every kind, so that pages stop inside each kind of each change.
    for (let change = 0; change < 3; change++) {
      await masterDataChange(t.db, async (tx, seq) => {
        for (let i = 0; i < 7; i++) await upsertProduct(tx, seq, product());
        if (change !== 1) {
          await updateBranchSettings(tx, seq, 'KEY01', { ...DEFAULT_BRANCH_SETTINGS, retentionDays: 30 + change });
        }
        for (let i = 0; i < 4; i++) await upsertStaff(tx, seq, 'KEY01', staffInput(`K${change}${i}`));
        for (let i = 0; i < 2; i++) await upsertStaff(tx, seq, 'OTH01', staffInput(`O${change}${i}`));
      });
    }
  });
  afterAll(() => t.dispose());

  async function pageThrough(limit: number) {
    const seen = { products: [] as string[], settings: [] as number[], staff: [] as string[] };
    let cursor = parseCursor('0');
    for (let pages = 0; ; pages++) {
      expect(pages).toBeLessThan(200);
      const page = await readChanges(t.db, 'KEY01', cursor, limit);
      expect(page.products.length + page.staff.length + (page.settings ? 1 : 0)).toBeLessThanOrEqual(limit);
      seen.products.push(...page.products.map((p) => p.id));
      if (page.settings) seen.settings.push(page.settings.retentionDays);
      seen.staff.push(...page.staff.map((s) => s.code));
      expect(isKnownCursor(page.cursor)).toBe(true);
      cursor = parseCursor(formatCursor(page.cursor));
      if (!page.more) return { seen, cursor };
    }
  }

  it('lists every change of every kind once, in change order, whatever the page size', async () => {
    const whole = await pageThrough(1000);
    expect(whole.seen.products).toHaveLength(21);
    expect(new Set(whole.seen.products).size).toBe(21);
    // Only this branch's staff, each change's after the one before.
    expect(whole.seen.staff.map((code) => code.slice(0, 2))).toEqual([
      ...Array<string>(4).fill('K0'),
      ...Array<string>(4).fill('K1'),
      ...Array<string>(4).fill('K2'),
    ]);
    // Settings changed twice; the till only needs the latest, and gets it once.
    expect(whole.seen.settings).toEqual([32]);
    for (const limit of [1, 2, 3, 5, 8]) {
      const paged = await pageThrough(limit);
      expect(paged.seen, `pages of ${limit}`).toEqual(whole.seen);
      expect(formatCursor(paged.cursor)).toBe(formatCursor(whole.cursor));
    }
  });

  it('picks up after the cursor what changed since, and nothing else', async () => {
    const { cursor } = await pageThrough(4);
    const changed = product();
    await masterDataChange(t.db, async (tx, seq) => {
      await upsertProduct(tx, seq, changed);
      await upsertStaff(tx, seq, 'OTH01', staffInput('O99'));
    });
    const page = await readChanges(t.db, 'KEY01', cursor, 4);
    expect(page).toMatchObject({ products: [{ id: changed.id }], staff: [], settings: null, more: false });
    expect(page.cursor.seq).toBe(cursor.seq + 1);
  });

  it('knows the cursors it gives out from ones it never would', () => {
    expect(isKnownCursor(parseCursor('0'))).toBe(true);
    expect(isKnownCursor(parseCursor(`4:product:${randomUUID()}`))).toBe(true);
    expect(isKnownCursor(parseCursor('4:settings:KEY01'))).toBe(true);
    expect(isKnownCursor(parseCursor('4:staff:C01'))).toBe(false);
    expect(isKnownCursor(parseCursor(`4:price:${randomUUID()}`))).toBe(false);
  });
});
