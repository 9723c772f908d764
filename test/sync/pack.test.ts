import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTillKey, nodeQueuePrimitives } from '../../cloud-worker/queue/node-primitives';
import { MAX_QUEUE_MESSAGE_BYTES, decodeQueueMessage } from '../../shared/wire/queue-message';
import { taka } from '../../shared/money';
import { qty } from '../../shared/quantity';
import { setCartDiscount } from '../../main/sale/discounts';
import { openShift } from '../../main/shift/open-shift';
import { readOutbox, type OutboxRow } from '../../main/store/outbox';
import { packMessages, packOutbox, type PackedMessage } from '../../main/sync/pack';
import { tillQueuePrimitives, tillSigner } from '../../main/sync/till-primitives';
import { CASHIER, PRODUCTS, tempTill, type TempTill } from '../../main/testing/fixtures';
import { must, ringCashSale } from '../../main/testing/ring';

let till: TempTill;
let rows: OutboxRow[];
const key = generateTillKey();

beforeAll(() => {
  till = tempTill();
  const shift = must(openShift(till.deps, { cashierId: CASHIER.id, openingFloat: taka(1000) }));
  const items = Object.values(PRODUCTS).map((p) => ({
    barcode: p.barcodes[0]!,
    quantity: p.unit === 'kg' ? qty(1.375) : qty(2),
  }));
  for (let i = 0; i < 1500; i++) {
    ringCashSale(till.deps, shift.id, items.slice(0, 1 + (i % items.length)), (d) =>
      i % 7 === 0 ? must(setCartDiscount(till.deps, d, { percentBps: 200 })) : d,
    );
  }
  rows = readOutbox(till.deps.db, 1, 10_000);
});
afterAll(() => till.cleanup());

async function decodeAll(texts: readonly string[]) {
  const out = [];
  for (const text of texts) {
    const decoded = await decodeQueueMessage(text, async () => key.publicKey, nodeQueuePrimitives);
    if (!decoded.ok) throw new Error(`${decoded.error.code}: ${decoded.error.reason}`);
    out.push(decoded.value.batch);
  }
  return out;
}

describe('packing the outbox into queue messages', () => {
  const deps = () => ({
    till: till.id,
    ids: till.deps.ids,
    now: till.deps.now,
    signer: tillSigner(key.keyId, key.privateKey),
    primitives: tillQueuePrimitives,
  });

  it('fits many sales in each message, never above the limit, and the cloud reads back every event', async () => {
    const messages = await packMessages(deps(), rows);
    for (const m of messages) expect(m.text.length).toBeLessThanOrEqual(MAX_QUEUE_MESSAGE_BYTES);
    const sales = messages.reduce((s, m) => s + m.sales, 0);
    expect(sales).toBe(1500);
    expect(sales / messages.length).toBeGreaterThanOrEqual(50);
    const batches = await decodeAll(messages.map((m) => m.text));
    const seqs = batches.flatMap((b) => b.events.map((e) => e.seq));
    expect(seqs).toEqual(rows.map((r) => r.seq));
    expect(batches.flatMap((b) => b.events.map((e) => e.id))).toEqual(rows.map((r) => r.eventId));
    expect(batches.every((b) => b.branch === 'DHK01' && b.till === 2)).toBe(true);
  });

  it('splits at holes, so each message covers a gap-free range', async () => {
    const holes = rows.filter((r) => r.seq <= 40 && r.seq !== 10 && (r.seq < 20 || r.seq > 25));
    const messages = await packMessages(deps(), holes, 1000);
    expect(messages.map((m) => [m.firstSeq, m.lastSeq])).toEqual([
      [1, 9],
      [11, 19],
      [26, 40],
    ]);
  });

  it('shrinks a first guess that is far too large', async () => {
    const messages = await packMessages(deps(), rows.slice(0, 800), 5000);
    for (const m of messages) expect(m.text.length).toBeLessThanOrEqual(MAX_QUEUE_MESSAGE_BYTES);
    expect(messages.reduce((s, m) => s + m.events, 0)).toBe(800);
  });

  it('packs the whole outbox round after round, with no half-empty message where one round ends', async () => {
    const endSeq = rows.at(-1)!.seq;
    const messages: PackedMessage[] = [];
    for await (const m of packOutbox({ ...deps(), db: till.deps.db }, endSeq, { round: 700, ahead: 3 }))
      messages.push(m);
    const batches = await decodeAll(messages.map((m) => m.text));
    expect(batches.flatMap((b) => b.events.map((e) => e.seq))).toEqual(rows.map((r) => r.seq));
    // After the first (it learns how this outbox compresses), every message but the last is
    // near the limit, rounds of 700 events or not.
    for (const m of messages.slice(1, -1)) expect(m.text.length).toBeGreaterThan(MAX_QUEUE_MESSAGE_BYTES * 0.7);
  });

  it('packs again, in order, when a message ahead comes out too large', async () => {
    // Bodies of digits, then of base64 that compresses less: the size learnt from the first is too large
    // for the rest, and several messages are being packed at once when the jump comes.
    const filler = (i: number) =>
      i < 600 ? [...randomBytes(1000)].map((b) => b % 10).join('') : randomBytes(750).toString('base64');
    const events: OutboxRow[] = Array.from({ length: 1200 }, (_, i) => ({
      ...rows[0]!,
      seq: i + 1,
      body: `{"seq":${i + 1},"filler":"${filler(i)}"}`,
    }));
    const messages = await packMessages(deps(), events, 50, 4);
    for (const m of messages) expect(m.text.length).toBeLessThanOrEqual(MAX_QUEUE_MESSAGE_BYTES);
    expect(messages.map((m) => m.firstSeq)).toEqual([1, ...messages.slice(0, -1).map((m) => m.lastSeq + 1)]);
    expect(messages.at(-1)!.lastSeq).toBe(1200);
    // Packed again after the jump, not cut into scraps: only the first, the one across the jump and the last are small.
    expect(messages.filter((m) => m.text.length < MAX_QUEUE_MESSAGE_BYTES * 0.5).length).toBeLessThanOrEqual(3);
    expect(messages.length).toBeLessThan(40);
  });

  it('refuses an outbox row that does not hold its own event, naming the row', async () => {
    const other = rows[4]!;
    const swapped = rows.slice(0, 10).map((r) => (r.seq === 3 ? { ...r, body: other.body } : r));
    await expect(packMessages(deps(), swapped)).rejects.toThrow('outbox row 3 does not hold its own event');
  });
});
