import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../testing/test-database';
import { loadMigrations, migrate } from './migrate';

describe.each(databaseKinds())('central schema on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(() => t.dispose());

  it('applies every migration once and records it', async () => {
    const rows = await t.db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(loadMigrations().map((m) => m.version));
    expect(await migrate(t.db)).toEqual([]);
  });

  it('has the tables the cloud side writes', async () => {
    const rows = await t.db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    const names = rows.map((r) => r.table_name);
    for (const table of [
      'branches',
      'tills',
      'cashiers',
      'products',
      'price_history',
      'vat_history',
      'sales',
      'sale_lines',
      'sale_payments',
      'refunds',
      'refund_lines',
      'voids',
      'shifts',
      'shift_closes',
      'stock_movements',
      'till_missing_ranges',
      'rejected_messages',
      'ingest_batches',
    ]) {
      expect(names).toContain(table);
    }
  });

  it('returns bigint columns as numbers on both backends', async () => {
    const [row] = await t.db.query<{ n: unknown }>('SELECT 9007199254740991::bigint AS n');
    expect(row?.n).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('rolls a failed transaction back whole', async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query(`INSERT INTO branches (code, name_en, change_seq) VALUES ('RBK01', 'Rollback', 1)`);
        await tx.query(`INSERT INTO branches (code, name_en, change_seq) VALUES ('bad code', 'x', 1)`);
      }),
    ).rejects.toThrow();
    expect(await t.db.query(`SELECT 1 FROM branches WHERE code = 'RBK01'`)).toEqual([]);
  });
});
