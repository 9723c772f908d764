import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateTillKey, nodeQueuePrimitives } from '../../cloud-worker/queue/node-primitives';
import { taka } from '../../shared/money';
import { qty } from '../../shared/quantity';
import { decodeQueueMessage, MAX_QUEUE_MESSAGE_BYTES } from '../../shared/wire/queue-message';
import { openShift } from '../shift/open-shift';
import { applyAcknowledgement, markQueued, outboxCounts } from '../store/outbox';
import { sealedCounts } from '../store/sealed';
import { CASHIER, PRODUCTS, tempTill, type TempTill } from '../testing/fixtures';
import { must, ringCashSale } from '../testing/ring';
import { pushOutbox, type QueueSender } from './push';
import { sealOutbox } from './seal';
import { tillQueuePrimitives, tillSigner } from './till-primitives';

const keyA = generateTillKey();
const keyB = generateTillKey();
const keys = new Map([
  [keyA.keyId, keyA.publicKey],
  [keyB.keyId, keyB.publicKey],
]);

let till: TempTill;
let shiftId: string;

function ring(count: number): void {
  const items = Object.values(PRODUCTS).map((p) => ({
    barcode: p.barcodes[0]!,
    quantity: p.unit === 'kg' ? qty(0.75) : qty(1),
  }));
  for (let i = 0; i < count; i++) ringCashSale(till.deps, shiftId, items.slice(0, 1 + (i % 4)));
}

beforeEach(() => {
  till = tempTill();
  shiftId = must(openShift(till.deps, { cashierId: CASHIER.id, openingFloat: taka(1000) })).id;
});
afterEach(() => till.cleanup());

const deps = (key = keyA) => ({
  db: till.deps.db,
  till: till.id,
  ids: till.deps.ids,
  now: till.deps.now,
  signer: tillSigner(key.keyId, key.privateKey),
  primitives: tillQueuePrimitives,
});

function sealedRows() {
  return till.deps.db
    .prepare('SELECT first_seq, last_seq, key_id, text FROM outbox_sealed ORDER BY first_seq')
    .all() as {
    first_seq: number;
    last_seq: number;
    key_id: string;
    text: string;
  }[];
}

/** A sender that keeps what the queue would have taken. */
function recorder(): QueueSender & { texts: string[] } {
  const texts: string[] = [];
  return { texts, send: async (text) => void texts.push(text) };
}

async function decode(text: string) {
  const decoded = await decodeQueueMessage(text, async ({ keyId }) => keys.get(keyId), nodeQueuePrimitives);
  if (!decoded.ok) throw new Error(`${decoded.error.code}: ${decoded.error.reason}`);
  return decoded.value;
}

async function seqsIn(texts: readonly string[]): Promise<number[]> {
  const seqs: number[] = [];
  for (const t of texts) seqs.push(...(await decode(t)).batch.events.map((e) => e.seq));
  return seqs;
}

describe('sealing the outbox while offline', () => {
  it('packs all but the tail into messages the cloud reads back, and leaves the tail to the push', async () => {
    ring(1200);
    const lastSeq = outboxCounts(till.deps.db).lastSeq;
    const sealed = await sealOutbox(deps());
    const rows = sealedRows();
    expect(sealed.messages).toBe(rows.length);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows[0]!.first_seq).toBe(1);
    for (const [i, r] of rows.entries()) {
      expect(r.text.length).toBeLessThanOrEqual(MAX_QUEUE_MESSAGE_BYTES);
      if (i > 0) expect(r.first_seq).toBe(rows[i - 1]!.last_seq + 1);
    }
    expect(rows.at(-1)!.last_seq).toBeLessThan(lastSeq);
    const events = rows.at(-1)!.last_seq;
    expect(await seqsIn(rows.map((r) => r.text))).toEqual(Array.from({ length: events }, (_, i) => i + 1));
    expect(sealed.events).toBe(events);
    // Sealing is not sending: every event is still pending.
    expect(outboxCounts(till.deps.db).pending).toBe(lastSeq);
  });

  it('seals only what came after the last sealed message, and nothing when nothing did', async () => {
    ring(1200);
    await sealOutbox(deps());
    const before = sealedRows();
    expect((await sealOutbox(deps())).messages).toBe(0);
    expect(sealedRows()).toEqual(before);
    ring(1200);
    const again = await sealOutbox(deps());
    expect(again.messages).toBeGreaterThan(0);
    const after = sealedRows();
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after[before.length]!.first_seq).toBe(before.at(-1)!.last_seq + 1);
  });

  it('is pushed as it was sealed, then the rest, each event once, and forgotten once head office confirms it', async () => {
    ring(1200);
    await sealOutbox(deps());
    const sealed = sealedRows().map((r) => r.text);
    ring(50);
    const lastSeq = outboxCounts(till.deps.db).lastSeq;
    const queue = recorder();
    const summary = await pushOutbox({ ...deps(), sender: queue });
    expect(queue.texts.slice(0, sealed.length)).toEqual(sealed);
    expect(queue.texts.length).toBeGreaterThan(sealed.length);
    expect(summary.events).toBe(lastSeq);
    expect(await seqsIn(queue.texts)).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
    expect(outboxCounts(till.deps.db)).toMatchObject({ pending: 0, queuedNotAcked: lastSeq });
    // Queued but not confirmed: kept, in case head office reports the message lost.
    expect(sealedCounts(till.deps.db).messages).toBe(sealed.length);
    applyAcknowledgement(till.deps.db, { ackedThrough: lastSeq, missing: [] }, till.deps.now());
    expect(sealedCounts(till.deps.db)).toEqual({ messages: 0, bytes: 0 });
  });

  it('sends a sealed message again as it was when head office reports all of it missing', async () => {
    ring(1200);
    await sealOutbox(deps());
    const [first] = sealedRows();
    await pushOutbox({ ...deps(), sender: recorder() });
    applyAcknowledgement(
      till.deps.db,
      { ackedThrough: 0, missing: [{ from: first!.first_seq, to: first!.last_seq }] },
      till.deps.now() + 1,
    );
    const queue = recorder();
    await pushOutbox({ ...deps(), sender: queue });
    expect(queue.texts).toEqual([first!.text]);
  });

  it('packs afresh, and sends only once, a sealed range part of which the queue already took', async () => {
    ring(1200);
    await sealOutbox(deps());
    const [first, second] = sealedRows();
    const middle = Math.floor((first!.first_seq + first!.last_seq) / 2);
    markQueued(till.deps.db, middle, middle + 10, till.deps.now());
    const queue = recorder();
    await pushOutbox({ ...deps(), sender: queue });
    expect(queue.texts).not.toContain(first!.text);
    expect(queue.texts).toContain(second!.text);
    const lastSeq = outboxCounts(till.deps.db).lastSeq;
    const expected = Array.from({ length: lastSeq }, (_, i) => i + 1).filter((s) => s < middle || s > middle + 10);
    expect(await seqsIn(queue.texts)).toEqual(expected);
  });

  it('drops messages signed with a key the till no longer has, and packs their events with the new one', async () => {
    ring(1200);
    await sealOutbox(deps(keyA));
    const old = sealedRows().map((r) => r.text);
    const queue = recorder();
    await pushOutbox({ ...deps(keyB), sender: queue });
    for (const t of old) expect(queue.texts).not.toContain(t);
    for (const t of queue.texts) expect((await decode(t)).envelope.keyId).toBe(keyB.keyId);
    const lastSeq = outboxCounts(till.deps.db).lastSeq;
    expect(await seqsIn(queue.texts)).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
    // The next sealing forgets them.
    await sealOutbox(deps(keyB));
    expect(sealedRows().filter((r) => r.key_id === keyA.keyId)).toEqual([]);
  });
});
