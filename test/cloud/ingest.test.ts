import { brotliCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64Encode } from '../../shared/bytes';
import { revokeTill } from '../../cloud-worker/repositories/till-repository';
import {
  batchOf,
  refundEvent,
  saleBatches,
  saleEvent,
  shiftOpenedEvent,
  tillSource,
  voidEvent,
} from '../../cloud-worker/testing/batches';
import {
  drain,
  encodeOrThrow,
  sendBatches,
  silentLog,
  startCloudFixture,
  type CloudFixture,
} from '../../cloud-worker/testing/cloud-fixture';
import { encodeLegacyQueueMessage } from '../../cloud-worker/testing/legacy-message';
import { databaseKinds } from '../../cloud-worker/testing/test-database';
import { QueueConsumer, runConsumer } from '../../cloud-worker/queue/consume';

describe.each(databaseKinds())('worker ingest from Azurite into %s', (kind) => {
  let f: CloudFixture;
  beforeAll(async () => {
    f = await startCloudFixture(kind);
  });
  afterAll(() => f.dispose());

  async function count(table: string, branch: string): Promise<number> {
    const [row] = await f.t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE branch = $1`, [
      branch,
    ]);
    return row?.n ?? 0;
  }

  async function rejectedCodes(branch: string): Promise<string[]> {
    const rows = await f.t.db.query<{ code: string }>(
      'SELECT code FROM rejected_messages WHERE branch = $1 ORDER BY code',
      [branch],
    );
    return rows.map((r) => r.code);
  }

  async function tillState(branch: string, till: number) {
    const [row] = await f.t.db.query<{ acked_seq: number; highest_seq: number }>(
      'SELECT acked_seq, highest_seq FROM tills WHERE branch = $1 AND till_no = $2',
      [branch, till],
    );
    const missing = await f.t.db.query<{ first_seq: number; last_seq: number }>(
      'SELECT first_seq, last_seq FROM till_missing_ranges WHERE branch = $1 AND till_no = $2 ORDER BY first_seq',
      [branch, till],
    );
    return { acked: row?.acked_seq, highest: row?.highest_seq, missing: missing.map((m) => [m.first_seq, m.last_seq]) };
  }

  it('ingests valid batches with their lines, payments and stock, and acknowledges the sequence', async () => {
    const { queue, consumer } = await f.newQueue();
    const till = await f.addTill('VAL01', 1);
    await sendBatches(queue, till.signer, saleBatches(tillSource('VAL01', 1), 30, 10));
    expect(await drain(consumer)).toEqual({ ingested: 3, rejected: 0 });
    expect(await count('sales', 'VAL01')).toBe(30);
    const [lines] = await f.t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM sale_lines l JOIN sales s ON s.id = l.sale_id WHERE s.branch = 'VAL01'`,
    );
    expect(lines?.n).toBe(90);
    expect(await count('stock_movements', 'VAL01')).toBe(90);
    expect(await count('ingest_batches', 'VAL01')).toBe(3);
    expect(await tillState('VAL01', 1)).toEqual({ acked: 30, highest: 30, missing: [] });
    expect((await queue.peekMessages()).peekedMessageItems).toEqual([]);
  });

  it('changes nothing when a message is delivered twice', async () => {
    const { queue, consumer } = await f.newQueue();
    const till = await f.addTill('DUP01', 1);
    const [batch] = saleBatches(tillSource('DUP01', 1), 5, 5);
    const text = await encodeOrThrow(batch!, till.signer);
    // Twice into one receive, then twice more after it is in.
    await queue.sendMessage(text, { messageTimeToLive: -1 });
    await queue.sendMessage(text, { messageTimeToLive: -1 });
    expect(await drain(consumer)).toEqual({ ingested: 2, rejected: 0 });
    expect(await count('sales', 'DUP01')).toBe(5);
    await queue.sendMessage(text, { messageTimeToLive: -1 });
    await queue.sendMessage(text, { messageTimeToLive: -1 });
    expect(await drain(consumer)).toEqual({ ingested: 2, rejected: 0 });
    expect(await count('sales', 'DUP01')).toBe(5);
    expect(await count('till_events', 'DUP01')).toBe(5);
    expect(await count('stock_movements', 'DUP01')).toBe(15);
    expect(await tillState('DUP01', 1)).toEqual({ acked: 5, highest: 5, missing: [] });
  });

  it('ingests the version 1 messages that tills queued before version 2, beside version 2 ones, once each', async () => {
    const { queue, consumer } = await f.newQueue();
    const till = await f.addTill('OLD01', 1);
    const [b1, b2] = saleBatches(tillSource('OLD01', 1), 20, 10);
    // b1 was queued by the till before its update, and sent again after it.
    await queue.sendMessage(await encodeLegacyQueueMessage(b1!, till.signer), { messageTimeToLive: -1 });
    await queue.sendMessage(await encodeOrThrow(b1!, till.signer), { messageTimeToLive: -1 });
    await queue.sendMessage(await encodeLegacyQueueMessage(b2!, till.signer), { messageTimeToLive: -1 });
    expect(await drain(consumer)).toEqual({ ingested: 3, rejected: 0 });
    expect(await count('sales', 'OLD01')).toBe(20);
    expect(await count('till_events', 'OLD01')).toBe(20);
    expect(await tillState('OLD01', 1)).toEqual({ acked: 20, highest: 20, missing: [] });
  });

  it('tracks a gap and closes it when the missing batch arrives late, out of order', async () => {
    const { queue, consumer } = await f.newQueue();
    const till = await f.addTill('GAP01', 2);
    const [b1, b2, b3, b4] = saleBatches(tillSource('GAP01', 2), 40, 10);
    await sendBatches(queue, till.signer, [b3!]);
    await drain(consumer);
    expect(await tillState('GAP01', 2)).toEqual({ acked: 0, highest: 30, missing: [[1, 20]] });
    await sendBatches(queue, till.signer, [b1!, b4!]);
    await drain(consumer);
    expect(await tillState('GAP01', 2)).toEqual({ acked: 10, highest: 40, missing: [[11, 20]] });
    await sendBatches(queue, till.signer, [b2!]);
    await drain(consumer);
    expect(await tillState('GAP01', 2)).toEqual({ acked: 40, highest: 40, missing: [] });
    expect(await count('sales', 'GAP01')).toBe(40);
  });

  it('records voids, refunds and shifts, and stock converges whichever of a sale and its void comes first', async () => {
    const { queue, consumer } = await f.newQueue();
    const till = await f.addTill('STK01', 1);
    const src = tillSource('STK01', 1);
    const opened = shiftOpenedEvent(src);
    const sale = saleEvent(src, 2);
    const refunded = saleEvent(src, 1);
    if (sale.type !== 'sale.completed' || refunded.type !== 'sale.completed') throw new Error('sales expected');
    const voided = voidEvent(src, sale.payload.saleId, sale.payload.receiptNo);
    const refund = refundEvent(
      src,
      refunded.payload.saleId,
      refunded.payload.receiptNo,
      refunded.payload.lines[0]!.productId,
    );
    // The void and the refund travel before the sales they undo.
    await sendBatches(queue, till.signer, [batchOf(src, [voided, refund])]);
    await drain(consumer);
    await sendBatches(queue, till.signer, [batchOf(src, [opened, sale, refunded])]);
    await drain(consumer);
    const stock = await f.t.db.query<{ reason: string; q: number }>(
      `SELECT reason, sum(quantity)::int AS q FROM stock_movements WHERE branch = 'STK01' GROUP BY reason ORDER BY reason`,
    );
    expect(stock).toEqual([
      { reason: 'refund', q: 1000 },
      { reason: 'sale', q: -4000 },
      { reason: 'void', q: 3000 },
    ]);
    expect(await count('voids', 'STK01')).toBe(1);
    expect(await count('refunds', 'STK01')).toBe(1);
    expect(await count('shifts', 'STK01')).toBe(1);
    expect(await tillState('STK01', 1)).toEqual({ acked: 5, highest: 5, missing: [] });
  });

  it('sends bad messages to poison and rejected, with their reason, and ingests the good ones beside them', async () => {
    const { queue, poison, consumer } = await f.newQueue();
    const good = await f.addTill('BAD01', 1);
    const other = await f.addTill('BAD02', 1);
    const src = tillSource('BAD01', 1);
    const [g1, g2] = saleBatches(src, 10, 5);
    await sendBatches(queue, good.signer, [g1!]);
    // Signed with another till's key under this till's key id.
    const forged = await encodeOrThrow(saleBatches(tillSource('BAD01', 1), 1, 1)[0]!, {
      keyId: good.signer.keyId,
      sign: other.signer.sign,
    });
    await queue.sendMessage(forged, { messageTimeToLive: -1 });
    // A branch signing, with its own key, a batch that claims another branch.
    const claimed = saleBatches(tillSource('BAD01', 1), 1, 1)[0]!;
    const body = brotliCompressSync(JSON.stringify(claimed));
    const impostor = JSON.stringify({
      v: 2,
      branch: 'BAD02',
      till: 1,
      keyId: other.signer.keyId,
      sig: base64Encode(await other.signer.sign(body)),
      body: base64Encode(body),
    });
    await queue.sendMessage(impostor, { messageTimeToLive: -1 });
    // Naming another till's key.
    const wrongKey = await encodeOrThrow(saleBatches(tillSource('BAD02', 1), 1, 1)[0]!, good.signer);
    await queue.sendMessage(wrongKey, { messageTimeToLive: -1 });
    await queue.sendMessage('this is not a queue message', { messageTimeToLive: -1 });
    await queue.sendMessage('A'.repeat(62_000), { messageTimeToLive: -1 });
    const invalidBatch = { ...saleBatches(tillSource('BAD01', 1), 2, 2)[0]!, lastSeq: 9 };
    await queue.sendMessage(await encodeOrThrow(invalidBatch, good.signer), { messageTimeToLive: -1 });
    await sendBatches(queue, good.signer, [g2!]);

    expect(await drain(consumer)).toEqual({ ingested: 2, rejected: 6 });
    expect(await count('sales', 'BAD01')).toBe(10);
    expect(await count('sales', 'BAD02')).toBe(0);
    const rejected = await f.t.db.query<{ code: string; field: string }>(
      'SELECT code, field FROM rejected_messages WHERE queue = $1 ORDER BY code',
      [queue.name],
    );
    expect(rejected.map((r) => r.code)).toEqual([
      'bad-signature',
      'invalid-range',
      'malformed-message',
      'message-too-large',
      'sender-mismatch',
      'unknown-key',
    ]);
    expect(rejected.find((r) => r.code === 'invalid-range')?.field).toBe('events');
    const poisoned = await poison.receiveMessages({ numberOfMessages: 32 });
    expect(poisoned.receivedMessageItems).toHaveLength(6);
    expect((await queue.peekMessages()).peekedMessageItems).toEqual([]);
  });

  it('sends a batch the database refuses to poison at once, and ingests the good ones beside it', async () => {
    const { queue, poison, consumer } = await f.newQueue();
    const till = await f.addTill('DBR01', 1);
    const src = tillSource('DBR01', 1);
    const [good1] = saleBatches(src, 3, 3);
    const bad = saleEvent(src, 2);
    if (bad.type !== 'sale.completed') throw new Error('a sale');
    // Two lines numbered 1: the schema lets it through, the line key does not.
    const clash = { ...bad, payload: { ...bad.payload, lines: bad.payload.lines.map((l) => ({ ...l, lineNo: 1 })) } };
    const [good2] = saleBatches(src, 3, 3);
    await sendBatches(queue, till.signer, [good1!, batchOf(src, [clash]), good2!]);
    expect(await drain(consumer)).toEqual({ ingested: 2, rejected: 1 });
    expect(await count('sales', 'DBR01')).toBe(6);
    expect(await rejectedCodes('DBR01')).toEqual(['rejected-by-database']);
    expect((await poison.receiveMessages()).receivedMessageItems).toHaveLength(1);
    expect(await tillState('DBR01', 1)).toEqual({ acked: 3, highest: 7, missing: [[4, 4]] });
  });

  it('refuses, never drops, other events under sequences a till already used', async () => {
    const { queue, consumer } = await f.newQueue();
    const till = await f.addTill('SEQ01', 1);
    await sendBatches(queue, till.signer, saleBatches(tillSource('SEQ01', 1), 4, 4));
    await drain(consumer);
    // A reinstalled till that starts again at sequence 1.
    await sendBatches(queue, till.signer, saleBatches(tillSource('SEQ01', 1), 4, 4));
    expect(await drain(consumer)).toEqual({ ingested: 0, rejected: 1 });
    expect(await rejectedCodes('SEQ01')).toEqual(['rejected-by-database']);
    expect(await count('sales', 'SEQ01')).toBe(4);
  });

  it("rejects a revoked till's messages", async () => {
    const { queue, consumer } = await f.newQueue();
    const till = await f.addTill('REV01', 1);
    await f.t.db.transaction((tx) => revokeTill(tx, 'REV01', 1));
    await sendBatches(queue, till.signer, saleBatches(tillSource('REV01', 1), 3, 3));
    expect(await drain(consumer)).toEqual({ ingested: 0, rejected: 1 });
    expect(await rejectedCodes('REV01')).toEqual(['revoked-till']);
    expect(await count('sales', 'REV01')).toBe(0);
  });
});

describe('delivery limits and polling', () => {
  let f: CloudFixture;
  beforeAll(async () => {
    f = await startCloudFixture('pglite');
  });
  afterAll(() => f.dispose());

  it('sends a message that keeps coming back to poison after its deliveries run out', async () => {
    const { queue, poison } = await f.newQueue();
    const till = await f.addTill('RTY01', 1);
    await sendBatches(queue, till.signer, saleBatches(tillSource('RTY01', 1), 2, 2));
    // Two deliveries that end without a delete, as when a worker dies mid-receive.
    for (let i = 0; i < 2; i++) {
      const got = await queue.receiveMessages({ visibilityTimeout: 1 });
      expect(got.receivedMessageItems).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 1100));
    }
    const consumer = new QueueConsumer({ db: f.t.db, queue, poison, log: silentLog, maxDeliveries: 2 });
    expect(await drain(consumer)).toEqual({ ingested: 0, rejected: 1 });
    const [row] = await f.t.db.query<{ code: string; dequeue_count: number }>(
      'SELECT code, dequeue_count FROM rejected_messages WHERE queue = $1',
      [queue.name],
    );
    expect(row).toEqual({ code: 'too-many-deliveries', dequeue_count: 3 });
    expect((await poison.peekMessages()).peekedMessageItems).toHaveLength(1);
  });

  it('polls an empty queue with growing waits, and stops when told', async () => {
    const { queue, poison } = await f.newQueue();
    const consumer = new QueueConsumer({ db: f.t.db, queue, poison, log: silentLog });
    let receives = 0;
    const stop = new AbortController();
    const run = runConsumer(consumer, stop.signal, {
      minIdleMs: 20,
      maxIdleMs: 320,
      onReceive: () => receives++,
    });
    await new Promise((r) => setTimeout(r, 1200));
    stop.abort();
    await run;
    // 20 + 40 + 80 + 160 + 320 + 320 … ms: about eight calls in 1.2 s, not hundreds.
    expect(receives).toBeGreaterThanOrEqual(2);
    expect(receives).toBeLessThanOrEqual(10);
  });
});
