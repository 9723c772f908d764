import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../cloud-worker/db/database';
import { ingestBatches } from '../../cloud-worker/repositories/ingest-repository';
import { insertBranch, masterDataChange } from '../../cloud-worker/repositories/master-data-repository';
import { insertTill } from '../../cloud-worker/repositories/till-repository';
import { batchOf, saleEvent, tillSource, voidEvent } from '../../cloud-worker/testing/batches';
import { createTestDatabase, type TestDatabase } from '../../cloud-worker/testing/test-database';
import { DEFAULT_BRANCH_SETTINGS } from '../../shared/settings';

/** Two transactions at once need two connections: PostgreSQL only. */
describe.skipIf(!process.env.DATABASE_URL)('concurrent ingest transactions', () => {
  let t: TestDatabase;
  let a: Database;
  let b: Database;
  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    a = await t.reopen(2);
    b = await t.reopen(2);
    await masterDataChange(t.db, (tx, seq) =>
      insertBranch(tx, seq, { code: 'CON01', nameEn: 'Concurrent', nameBn: '', settings: DEFAULT_BRANCH_SETTINGS }),
    );
    await t.db.transaction((tx) =>
      insertTill(tx, { branch: 'CON01', till: 1, keyId: 'con01-1', publicKey: 'unused', tokenHash: 'unused' }),
    );
  });
  afterAll(() => t.dispose());

  it('returns the stock of a sale voided in a transaction that runs beside the sale’s', async () => {
    const src = tillSource('CON01', 1);
    const sale = saleEvent(src, 2);
    if (sale.type !== 'sale.completed') throw new Error('a sale');
    const voided = voidEvent(src, sale.payload.saleId, sale.payload.receiptNo);
    let commitSale = () => {};
    const saleMayCommit = new Promise<void>((resolve) => (commitSale = resolve));
    const saleTx = a.transaction(async (tx) => {
      await ingestBatches(tx, [{ messageId: 's', batch: batchOf(src, [sale]) }]);
      await saleMayCommit;
    });
    await new Promise((r) => setTimeout(r, 200));
    const voidTx = b.transaction((tx) => ingestBatches(tx, [{ messageId: 'v', batch: batchOf(src, [voided]) }]));
    await new Promise((r) => setTimeout(r, 200));
    commitSale();
    await Promise.all([saleTx, voidTx]);
    const stock = await t.db.query<{ reason: string; q: number }>(
      `SELECT reason, sum(quantity)::int AS q FROM stock_movements WHERE branch = 'CON01' GROUP BY reason ORDER BY reason`,
    );
    expect(stock).toEqual([
      { reason: 'sale', q: -3000 },
      { reason: 'void', q: 3000 },
    ]);
    const [till] = await t.db.query('SELECT acked_seq, highest_seq FROM tills WHERE branch = $1', ['CON01']);
    expect(till).toEqual({ acked_seq: 2, highest_seq: 2 });
  });
});
