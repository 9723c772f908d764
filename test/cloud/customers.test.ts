import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../cloud-worker/db/database';
import { customerDetail, searchCustomers } from '../../cloud-worker/repositories/customer-repository';
import { ingestBatches } from '../../cloud-worker/repositories/ingest-repository';
import { insertBranch, masterDataChange } from '../../cloud-worker/repositories/master-data-repository';
import { insertTill } from '../../cloud-worker/repositories/till-repository';
import { runReport } from '../../cloud-worker/reports/run-report';
import { batchOf, MANAGER_ID, saleEvent, tillSource, voidEvent } from '../../cloud-worker/testing/batches';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../cloud-worker/testing/test-database';
import { dhakaDay, reportParamsSchema } from '../../shared/reports';
import { DEFAULT_BRANCH_SETTINGS } from '../../shared/settings';
import type { TillEvent } from '../../shared/wire/events';

const PHONE = '+8801712345678';

async function addBranch(db: Database, code: string, tills: number[]) {
  await masterDataChange(db, (tx, seq) =>
    insertBranch(tx, seq, { code, nameEn: code, nameBn: '', settings: DEFAULT_BRANCH_SETTINGS }),
  );
  for (const till of tills) {
    await db.transaction((tx) =>
      insertTill(tx, {
        branch: code,
        till,
        keyId: `${code}-${till}`,
        publicKey: 'unused',
        tokenHash: `${code}-${till}`,
      }),
    );
  }
}

function saleId(e: TillEvent): string {
  if (e.type !== 'sale.completed') throw new Error('a sale');
  return e.payload.saleId;
}

describe.each(databaseKinds())('customers and offline tenders at head office, on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
    await addBranch(t.db, 'CUA01', [1]);
    await addBranch(t.db, 'CUB01', [1, 2]);
  });
  afterAll(() => t.dispose());

  const ingest = (messageId: string, batch: ReturnType<typeof batchOf>) =>
    t.db.transaction((tx) => ingestBatches(tx, [{ messageId, batch }]));

  it('merges one customer met offline at two branches into one, keeping both sales, whatever the order', async () => {
    const a = tillSource('CUA01', 1);
    const b = tillSource('CUB01', 1);
    const day = Date.now() - 3_600_000;
    const atA = saleEvent(a, 1, {
      customer: { phone: PHONE, name: 'Rahima' },
      offline: true,
      tenderApprovedBy: MANAGER_ID,
      completedAt: day,
    });
    const atB = saleEvent(b, 2, { customer: { phone: PHONE, name: null }, offline: true, completedAt: day + 60_000 });
    const someoneElse = saleEvent(b, 1, { customer: { phone: '+8801912345678', name: 'Karim' }, completedAt: day });
    // The later branch arrives first; the earlier one after, and then again.
    await ingest('m1', batchOf(b, [atB, someoneElse]));
    await ingest('m2', batchOf(a, [atA]));
    await ingest('m2-again', batchOf(a, [atA]));

    const rows = await t.db.query('SELECT phone, name, first_branch FROM customers ORDER BY phone');
    expect(rows).toEqual([
      { phone: PHONE, name: 'Rahima', first_branch: 'CUA01' },
      { phone: '+8801912345678', name: 'Karim', first_branch: 'CUB01' },
    ]);
    const detail = await customerDetail(t.db, PHONE);
    expect(detail?.customer).toMatchObject({
      phone: PHONE,
      name: 'Rahima',
      visits: 2,
      spent: 5000 + 15_000,
      branches: ['CUA01', 'CUB01'],
      firstSaleAt: day,
      lastSaleAt: day + 60_000,
    });
    // The manager is named from head office's staff; one it does not know shows by id.
    expect(detail?.purchases.map((p) => [p.branch, p.saleId, p.offline, p.approvedBy])).toEqual([
      ['CUB01', saleId(atB), true, null],
      ['CUA01', saleId(atA), true, MANAGER_ID],
    ]);

    // A void at one branch leaves the customer, with one visit fewer.
    if (atB.type !== 'sale.completed') throw new Error('a sale');
    await ingest('m3', batchOf(b, [voidEvent(b, atB.payload.saleId, atB.payload.receiptNo)]));
    expect((await customerDetail(t.db, PHONE))?.customer).toMatchObject({ visits: 1, spent: 5000 });
    expect((await customerDetail(t.db, PHONE))?.purchases[0]).toMatchObject({ voided: true });

    expect((await searchCustomers(t.db, '01712')).map((c) => c.phone)).toEqual([PHONE]);
    expect(await customerDetail(t.db, '+8801812345678')).toBeUndefined();
  });

  it('takes a newer name and keeps the older first sale when a late sale arrives', async () => {
    const a = tillSource('CUA01', 1);
    a.nextSeq = 100;
    a.receipt = 100;
    const phone = '+8801555000111';
    const now = Date.now() - 1_000_000;
    await ingest('n1', batchOf(a, [saleEvent(a, 1, { customer: { phone, name: 'Old name' }, completedAt: now })]));
    await ingest('n2', batchOf(a, [saleEvent(a, 1, { customer: { phone, name: 'New name' }, completedAt: now + 10 })]));
    expect((await customerDetail(t.db, phone))?.customer).toMatchObject({ name: 'New name', visits: 2 });
  });

  it('reports card and mobile money taken offline per till and day, with the manager-approved sales', async () => {
    const b2 = tillSource('CUB01', 2);
    const at = Date.now() - 7_200_000;
    await ingest(
      'o1',
      batchOf(b2, [
        saleEvent(b2, 1, { offline: true, method: 'card', completedAt: at }),
        saleEvent(b2, 2, { offline: true, method: 'card', tenderApprovedBy: MANAGER_ID, completedAt: at }),
        saleEvent(b2, 1, { offline: true, method: 'bkash', completedAt: at }),
        saleEvent(b2, 1, { offline: false, method: 'card', completedAt: at }),
        saleEvent(b2, 1, { offline: true, method: 'cash', completedAt: at }),
        // A version 1 sale was taken online.
        saleEvent(b2, 1),
      ]),
    );
    const day = dhakaDay(at);
    const result = await runReport(
      t.db,
      'offline-tenders',
      reportParamsSchema.parse({ from: day, to: dhakaDay(Date.now()), branch: 'CUB01' }),
    );
    expect(result.rows.filter((r) => r.till_no === 2)).toEqual([
      { day, branch: 'CUB01', till_no: 2, method: 'bkash', sales_count: 1, amount: 5000, approved_count: 0, voided: 0 },
      {
        day,
        branch: 'CUB01',
        till_no: 2,
        method: 'card',
        sales_count: 2,
        amount: 5000 + 15_000,
        approved_count: 1,
        voided: 0,
      },
    ]);
  });
});
