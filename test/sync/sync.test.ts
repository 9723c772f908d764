import type { QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../../cloud-worker/testing/test-database';
import { taka } from '../../shared/money';
import { openTill, type Till } from '../../main/open-till';
import { openShift } from '../../main/shift/open-shift';
import { findByBarcode, stockOf } from '../../main/store/catalog';
import { getOpenShift } from '../../main/store/shifts';
import { openOfflinePeriod } from '../../main/store/offline-periods';
import { outboxCounts } from '../../main/store/outbox';
import { getSyncState } from '../../main/store/sync-state';
import { getSaleByReceipt } from '../../main/store/sales';
import { sealedCounts } from '../../main/store/sealed';
import { sasQueueSender } from '../../main/sync/push';
import { runSync, type SyncOptions } from '../../main/sync/run';
import { SyncBusyError } from '../../main/sync/single-flight';
import { must, ringCashSale } from '../../main/testing/ring';
import { keepingSent } from '../../main/testing/senders';
import { startChain, tillPaths, type Chain } from './chain';

const DAY = 86_400_000;

describe.each(databaseKinds())('branch sync against the real chain (%s)', (kind) => {
  let chain: Chain;
  let dir: string;
  let cashierId: string;
  const barcodes = ['8941000000011', '8941000000028', '8941000000035'];

  beforeAll(async () => {
    chain = await startChain(kind);
    await chain.addBranch('DHK01');
    await chain.addProduct('SKU1', {
      nameEn: 'Rupchanda Soybean Oil 1L',
      nameBn: 'রূপচাঁদা সয়াবিন তেল',
      price: 19_000,
      barcodes: [barcodes[0]!],
    });
    await chain.addProduct('SKU2', {
      nameEn: 'Miniket Rice',
      nameBn: 'মিনিকেট চাল',
      price: 7_800,
      vatRate: 0,
      unit: 'kg',
      barcodes: [barcodes[1]!],
    });
    await chain.addProduct('SKU3', {
      nameEn: 'Lux Soap 100g',
      nameBn: 'লাক্স সাবান',
      price: 5_500,
      vatRate: 1500,
      barcodes: [barcodes[2]!],
    });
    cashierId = await chain.addStaff('DHK01', 'cashier', '1234');
    await chain.addStaff('DHK01', 'manager', '9876');
    ({ dir } = await chain.addTill('DHK01', 1));
  });
  afterAll(async () => {
    await chain?.close();
  });

  function withTill<T>(fn: (till: Till) => T): T {
    const till = openTill(tillPaths(dir).db);
    try {
      return fn(till);
    } finally {
      till.store.close();
    }
  }

  function ringSales(n: number): string[] {
    return withTill((till) => {
      const shift = getOpenShift(till.deps.db) ?? must(openShift(till.deps, { cashierId, openingFloat: taka(1000) }));
      return Array.from(
        { length: n },
        (_, i) =>
          ringCashSale(till.deps, shift.id, [
            { barcode: barcodes[i % 3]! },
            { barcode: barcodes[(i + 1) % 3]!, quantity: 2000 },
          ]).receiptNo,
      );
    });
  }

  const sync = (extra: Partial<SyncOptions> = {}) => runSync({ dir, missingGraceMs: 0, ...extra });

  async function centralSales(): Promise<{ receipt_no: string }[]> {
    return chain.f.t.db.query<{ receipt_no: string }>(
      "SELECT receipt_no FROM sales WHERE branch = 'DHK01' AND till_no = 1 ORDER BY receipt_no",
    );
  }

  it('pulls the catalog and staff on its first sync', async () => {
    const summary = await sync();
    expect(summary.pull).toMatchObject({ products: 3, staff: 2 });
    withTill((till) =>
      expect(findByBarcode(till.deps.db, barcodes[1]!)).toMatchObject({ nameBn: 'মিনিকেট চাল', unit: 'kg' }),
    );
  });

  it('sends offline sales, gets ✔ from the queue and ✔✔ from the central database', async () => {
    const receipts = ringSales(30);
    const first = await sync();
    expect(first.push.sales).toBe(30);
    expect(first).toMatchObject({ pending: 0 });
    expect(first.queuedNotAcked).toBeGreaterThanOrEqual(31);
    await chain.drain();
    expect((await centralSales()).map((r) => r.receipt_no)).toEqual(receipts);
    const second = await sync();
    expect(second.pull.acked).toBe(first.queuedNotAcked);
    expect(second).toMatchObject({ pending: 0, queuedNotAcked: 0 });
    expect(getSyncStateOf().lastError).toBeNull();
  });

  it('keeps selling and loses nothing while head office is unreachable, then delivers everything once', async () => {
    await chain.apiLine.cut();
    const receipts = ringSales(5);
    await expect(sync({ timeoutMs: 2000 })).rejects.toMatchObject({ kind: 'offline' });
    await expect(sync({ timeoutMs: 2000 })).rejects.toMatchObject({ kind: 'offline' });
    expect(getSyncStateOf().lastError).toMatchObject({ kind: 'offline' });
    // The five sales, and the till going offline, once however many runs found no answer.
    withTill((till) => {
      expect(outboxCounts(till.deps.db).pending).toBe(6);
      expect(openOfflinePeriod(till.deps.db)).toMatchObject({ cause: 'network' });
    });
    await chain.apiLine.restore();
    await sync();
    withTill((till) => expect(openOfflinePeriod(till.deps.db)).toBeUndefined());
    await chain.drain();
    await sync();
    const central = (await centralSales()).map((r) => r.receipt_no);
    for (const r of receipts) expect(central.filter((c) => c === r)).toHaveLength(1);
    // Head office has the outage with its end: the run that reached it again sent both.
    const periods = await chain.f.t.db.query<{ cause: string; ended_at: string | null }>(
      `SELECT s.cause, e.ended_at FROM till_offline_starts s LEFT JOIN till_offline_ends e USING (period_id)
        WHERE s.branch = 'DHK01' AND s.till_no = 1`,
    );
    expect(periods).toEqual([{ cause: 'network', ended_at: expect.anything() }]);
    withTill((till) => expect(outboxCounts(till.deps.db)).toMatchObject({ pending: 0, queuedNotAcked: 0 }));
  });

  it('packs a long outage’s sales while offline and sends those messages as they were once the line is back', async () => {
    await chain.apiLine.cut();
    const receipts = ringSales(1500);
    await expect(sync({ timeoutMs: 2000 })).rejects.toMatchObject({ kind: 'offline' });
    const sealed = withTill(
      (till) => till.deps.db.prepare('SELECT text FROM outbox_sealed ORDER BY first_seq').pluck().all() as string[],
    );
    expect(sealed.length).toBeGreaterThanOrEqual(2);
    await chain.apiLine.restore();
    const sent: string[] = [];
    const summary = await sync({ sender: (url) => keepingSent(sasQueueSender(url), sent) });
    expect(summary.push.sales).toBe(1500);
    expect(sent.slice(0, sealed.length)).toEqual(sealed);
    await chain.drain();
    await sync();
    const central = (await centralSales()).map((r) => r.receipt_no);
    for (const r of receipts) expect(central.filter((c) => c === r)).toHaveLength(1);
    withTill((till) => {
      expect(outboxCounts(till.deps.db)).toMatchObject({ pending: 0, queuedNotAcked: 0 });
      expect(sealedCounts(till.deps.db).messages).toBe(0);
    });
  });

  it('sends again a message the queue lost after accepting it, and the gap closes', async () => {
    const receipts = ringSales(3);
    await sync();
    // Lose the message the queue accepted, as an emulator crash or an operator could.
    const queue = chain.f.service.getQueueClient((await chain.f.service.listQueues().next()).value!.name);
    const lost = await takeOneMessage(queue);
    expect(lost).toBe(true);
    const more = ringSales(2);
    await sync();
    await chain.drain();
    const gap = await chain.f.t.db.query<{ first_seq: string }>(
      "SELECT first_seq FROM till_missing_ranges WHERE branch = 'DHK01' AND till_no = 1",
    );
    expect(gap.length).toBe(1);
    const healing = await sync();
    expect(healing.pull.requeued).toBeGreaterThan(0);
    expect(healing.push.sales).toBe(3);
    await chain.drain();
    await sync();
    const central = (await centralSales()).map((r) => r.receipt_no);
    for (const r of [...receipts, ...more]) expect(central).toContain(r);
    expect(
      await chain.f.t.db.query("SELECT 1 FROM till_missing_ranges WHERE branch = 'DHK01' AND till_no = 1"),
    ).toEqual([]);
    withTill((till) => expect(outboxCounts(till.deps.db)).toMatchObject({ pending: 0, queuedNotAcked: 0 }));
  });

  it('applies master data changed while the branch was offline, and keeps the price a sale was rung at', async () => {
    const [receipt] = ringSales(1);
    await chain.apiLine.cut();
    const products = await chain.f.t.db.query<{ id: string }>("SELECT id FROM products WHERE sku = 'SKU1'");
    await chain.admin('PATCH', `/v1/admin/products/${products[0]!.id}`, { price: 21_000 });
    await chain.admin('PATCH', `/v1/admin/products/${products[0]!.id}`, {
      price: 20_500,
      nameEn: 'Rupchanda Soybean Oil 1 Litre',
    });
    await expect(sync({ timeoutMs: 2000 })).rejects.toMatchObject({ kind: 'offline' });
    await chain.apiLine.restore();
    await sync();
    withTill((till) => {
      expect(findByBarcode(till.deps.db, barcodes[0]!)).toMatchObject({
        price: 20_500,
        nameEn: 'Rupchanda Soybean Oil 1 Litre',
      });
      expect(getSaleByReceipt(till.deps.db, receipt!)!.lines[0]).toMatchObject({ unitPrice: 19_000 });
    });
  });

  it('syncs with the till clock three hours wrong; head office records the device time for skew', async () => {
    const wrong = () => Date.now() - 3 * 3600_000;
    const till = openTill(tillPaths(dir).db, { now: wrong });
    try {
      const shift = getOpenShift(till.deps.db)!;
      ringCashSale(till.deps, shift.id, [{ barcode: barcodes[2]! }]);
    } finally {
      till.store.close();
    }
    await sync({ now: wrong });
    await chain.drain();
    const summary = await sync({ now: wrong });
    expect(summary.pending + summary.queuedNotAcked).toBe(0);
    expect(summary.pull.skewMs).toBeGreaterThan(2.9 * 3600_000);
    // The batches this run sent carry the till's own (wrong) clock, recorded beside the server's.
    const rows = await chain.f.t.db.query<{ device_time: string; ingested: string }>(
      "SELECT device_time, (extract(epoch FROM ingested_at) * 1000)::bigint AS ingested FROM ingest_batches WHERE branch = 'DHK01' AND till_no = 1 ORDER BY last_seq DESC LIMIT 1",
    );
    const skew = Number(rows[0]!.ingested) - Number(rows[0]!.device_time);
    expect(skew).toBeGreaterThan(2.9 * 3600_000);
    expect(skew).toBeLessThan(3.1 * 3600_000);
  });

  it('never runs two syncs at once', async () => {
    const results = await Promise.allSettled([sync(), sync()]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: expect.any(SyncBusyError) });
  });

  it('prunes acknowledged sales only past the retention window, keeping stock', async () => {
    await chain.drain();
    await sync();
    const stock = withTill((till) => stockOf(till.deps.db, findByBarcode(till.deps.db, barcodes[2]!)!.id));
    const kept = await sync({ now: () => Date.now() + 44 * DAY });
    expect(kept.pruned.sales).toBe(0);
    const pruned = await sync({ now: () => Date.now() + 46 * DAY });
    expect(pruned.pruned.sales).toBeGreaterThan(40);
    withTill((till) => {
      expect(till.deps.db.prepare('SELECT count(*) AS n FROM sales').get()).toEqual({ n: 0 });
      expect(stockOf(till.deps.db, findByBarcode(till.deps.db, barcodes[2]!)!.id)).toBe(stock);
    });
  });

  function getSyncStateOf() {
    return withTill((till) => getSyncState(till.deps.db));
  }
});

/** Receives and deletes one message with the account key, as an operator's mistake would. */
async function takeOneMessage(queue: QueueClient): Promise<boolean> {
  const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 1 });
  const m = receivedMessageItems[0];
  if (!m) return false;
  await queue.deleteMessage(m.messageId, m.popReceipt);
  return true;
}
