import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { base64Encode, utf8Encode } from '../../shared/bytes';
import {
  decodeQueueMessage,
  encodeQueueMessage,
  MAX_QUEUE_MESSAGE_BYTES,
  readEnvelope,
} from '../../shared/wire/queue-message';
import { batchOf, saleBatches, saleEvent, tillSource } from '../testing/batches';
import { inlineDecoder, threadDecoder } from './decode-pool';
import { generateTillKey, nodeQueuePrimitives, nodeSigner } from './node-primitives';

const key = generateTillKey();
const signer = nodeSigner(key.keyId, key.privateKey);
const findKey = async ({ keyId }: { keyId: string }) => (keyId === key.keyId ? key.publicKey : undefined);

function envelopeText(fields: Record<string, unknown>): string {
  return base64Encode(utf8Encode(JSON.stringify(fields)));
}

/** A message around any body, signed by this till's key, naming DHK01-2. */
async function signedAs(body: Uint8Array): Promise<string> {
  const sig = await signer.sign(body);
  return envelopeText({
    v: 1,
    branch: 'DHK01',
    till: 2,
    keyId: key.keyId,
    sig: base64Encode(sig),
    body: base64Encode(body),
  });
}

describe('queue message', () => {
  it('round-trips a signed batch', async () => {
    const [batch] = saleBatches(tillSource('DHK01', 2), 20, 20);
    const text = await encodeQueueMessage(batch!, signer, nodeQueuePrimitives);
    expect(text.ok).toBe(true);
    if (!text.ok) return;
    expect(text.value.length).toBeLessThanOrEqual(MAX_QUEUE_MESSAGE_BYTES);
    const decoded = await decodeQueueMessage(text.value, findKey, nodeQueuePrimitives);
    expect(decoded.ok && decoded.value.batch).toEqual(batch);
  });

  it('refuses to encode a batch above the size limit', async () => {
    const src = tillSource('DHK01', 1);
    const events = Array.from({ length: 2000 }, () => saleEvent(src, 8));
    const text = await encodeQueueMessage(batchOf(src, events), signer, nodeQueuePrimitives);
    expect(text.ok ? 'ok' : text.error.code).toBe('message-too-large');
  });

  it('rejects a body signed by another key', async () => {
    const other = generateTillKey();
    const [batch] = saleBatches(tillSource('DHK01', 2), 2, 2);
    const text = await encodeQueueMessage(batch!, nodeSigner(key.keyId, other.privateKey), nodeQueuePrimitives);
    const decoded = await decodeQueueMessage(text.ok ? text.value : '', findKey, nodeQueuePrimitives);
    expect(decoded.ok ? 'ok' : decoded.error.code).toBe('bad-signature');
  });

  it('rejects a batch from another till than the envelope names', async () => {
    const [batch] = saleBatches(tillSource('CTG02', 1), 2, 2);
    const text = await signedAs(gzipSync(JSON.stringify(batch)));
    const decoded = await decodeQueueMessage(text, findKey, nodeQueuePrimitives);
    expect(decoded.ok ? 'ok' : decoded.error).toMatchObject({ code: 'sender-mismatch', field: 'branch' });
  });

  it('caps what a body may inflate to', async () => {
    const text = await signedAs(gzipSync(Buffer.alloc(24 * 1024 * 1024, 32), { level: 9 }));
    expect(text.length).toBeLessThan(MAX_QUEUE_MESSAGE_BYTES);
    const decoded = await decodeQueueMessage(text, findKey, nodeQueuePrimitives);
    expect(decoded.ok ? 'ok' : decoded.error.code).toBe('malformed-body');
  });

  it('names the field of a malformed envelope', () => {
    expect(readEnvelope('not base64!')).toMatchObject({ ok: false, error: { code: 'malformed-message' } });
    const bad = readEnvelope(envelopeText({ v: 1, branch: 'dhaka', till: 2, keyId: 'k', sig: 'AA==', body: 'AA==' }));
    expect(bad).toMatchObject({ ok: false, error: { field: 'envelope.branch' } });
    expect(readEnvelope('A'.repeat(MAX_QUEUE_MESSAGE_BYTES + 4))).toMatchObject({
      ok: false,
      error: { code: 'message-too-large' },
    });
  });

  it('rejects an unknown key before inflating anything', async () => {
    const [batch] = saleBatches(tillSource('DHK01', 2), 2, 2);
    const text = await encodeQueueMessage(batch!, nodeSigner('other-key', key.privateKey), nodeQueuePrimitives);
    const decoded = await decodeQueueMessage(text.ok ? text.value : '', findKey, nodeQueuePrimitives);
    expect(decoded.ok ? 'ok' : decoded.error.code).toBe('unknown-key');
  });
});

/** JSON of byte arrays as their bytes, whichever class holds them (a Buffer has turned itself into `{ type, data }`). */
function bytes(_: string, v: unknown): unknown {
  if (v instanceof Uint8Array) return [...v];
  const buffer = v as { type?: unknown; data?: unknown } | null;
  return buffer?.type === 'Buffer' && Array.isArray(buffer.data) ? buffer.data : v;
}

describe('decoding on worker threads', () => {
  it('opens messages as the inline decoder does', async () => {
    const decoder = threadDecoder(2);
    try {
      const [good] = saleBatches(tillSource('DHK01', 2), 5, 5);
      const other = generateTillKey();
      const texts = [
        await encodeQueueMessage(good!, signer, nodeQueuePrimitives),
        await encodeQueueMessage(good!, nodeSigner(key.keyId, other.privateKey), nodeQueuePrimitives),
        await encodeQueueMessage(good!, signer, nodeQueuePrimitives),
      ];
      const jobs = texts.map((t) => {
        const envelope = readEnvelope(t.ok ? t.value : '');
        if (!envelope.ok) throw new Error(envelope.error.reason);
        return { envelope: envelope.value, publicKey: key.publicKey };
      });
      for (const prepare of [false, true]) {
        const threaded = await decoder.open(jobs, prepare);
        const inline = await inlineDecoder.open(jobs, prepare);
        // Rows come back from a thread as plain Uint8Arrays; compare the bytes.
        expect(JSON.parse(JSON.stringify(threaded, bytes))).toEqual(JSON.parse(JSON.stringify(inline, bytes)));
        expect(threaded.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ok', 'bad-signature', 'ok']);
      }
    } finally {
      await decoder.close();
    }
  });
});
