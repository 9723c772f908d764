import { brotliCompressSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { base64Encode, utf8Encode } from '../../shared/bytes';
import {
  decodeQueueMessage,
  encodeQueueMessage,
  MAX_QUEUE_MESSAGE_BYTES,
  QUEUE_MESSAGE_VERSION,
  readEnvelope,
} from '../../shared/wire/queue-message';
import { batchOf, saleBatches, saleEvent, tillSource } from '../testing/batches';
import { encodeLegacyQueueMessage } from '../testing/legacy-message';
import { inlineDecoder, threadDecoder } from './decode-pool';
import { generateTillKey, nodeQueuePrimitives, nodeSigner } from './node-primitives';

const key = generateTillKey();
const signer = nodeSigner(key.keyId, key.privateKey);
const findKey = async ({ keyId }: { keyId: string }) => (keyId === key.keyId ? key.publicKey : undefined);

/** The text of an envelope as its version sends it: version 1 as base64, version 2 as the JSON itself. */
function envelopeText(fields: Record<string, unknown>): string {
  const json = JSON.stringify(fields);
  return fields.v === 1 ? base64Encode(utf8Encode(json)) : json;
}

/** A message around any body, signed by this till's key, naming DHK01-2. */
async function signedAs(body: Uint8Array, v: 1 | 2): Promise<string> {
  const sig = await signer.sign(body);
  return envelopeText({
    v,
    branch: 'DHK01',
    till: 2,
    keyId: key.keyId,
    sig: base64Encode(sig),
    body: base64Encode(body),
  });
}

const compress = { 1: (data: Uint8Array) => gzipSync(data), 2: (data: Uint8Array) => brotliCompressSync(data) };

describe('queue message', () => {
  it('round-trips a signed batch', async () => {
    const [batch] = saleBatches(tillSource('DHK01', 2), 20, 20);
    const text = await encodeQueueMessage(batch!, signer, nodeQueuePrimitives);
    expect(text.ok).toBe(true);
    if (!text.ok) return;
    expect(text.value.length).toBeLessThanOrEqual(MAX_QUEUE_MESSAGE_BYTES);
    expect(JSON.parse(text.value)).toMatchObject({ v: QUEUE_MESSAGE_VERSION, branch: 'DHK01', till: 2 });
    const decoded = await decodeQueueMessage(text.value, findKey, nodeQueuePrimitives);
    expect(decoded.ok && decoded.value.batch).toEqual(batch);
  });

  it('still reads the version 1 messages that tills sent before, which may wait in a queue', async () => {
    const [batch] = saleBatches(tillSource('DHK01', 2), 20, 20);
    const text = await encodeLegacyQueueMessage(batch!, signer);
    expect(text.startsWith('ey')).toBe(true);
    const decoded = await decodeQueueMessage(text, findKey, nodeQueuePrimitives);
    expect(decoded.ok && decoded.value.envelope.v).toBe(1);
    expect(decoded.ok && decoded.value.batch).toEqual(batch);
  });

  it('carries a batch in well under half the bytes of version 1', async () => {
    const [batch] = saleBatches(tillSource('DHK01', 2), 150, 150);
    const v2 = await encodeQueueMessage(batch!, signer, nodeQueuePrimitives);
    const v1 = await encodeLegacyQueueMessage(batch!, signer);
    expect(v2.ok && v2.value.length / v1.length).toBeLessThan(0.5);
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
    for (const v of [1, 2] as const) {
      const text = await signedAs(compress[v](Buffer.from(JSON.stringify(batch))), v);
      const decoded = await decodeQueueMessage(text, findKey, nodeQueuePrimitives);
      expect(decoded.ok ? 'ok' : decoded.error).toMatchObject({ code: 'sender-mismatch', field: 'branch' });
    }
  });

  it('caps what a body may inflate to, in either version', async () => {
    for (const v of [1, 2] as const) {
      const text = await signedAs(compress[v](Buffer.alloc(24 * 1024 * 1024, 32)), v);
      expect(text.length).toBeLessThan(MAX_QUEUE_MESSAGE_BYTES);
      const decoded = await decodeQueueMessage(text, findKey, nodeQueuePrimitives);
      expect(decoded.ok ? 'ok' : decoded.error.code, `version ${v}`).toBe('malformed-body');
    }
  });

  it("refuses a body in the other version's compression", async () => {
    const [batch] = saleBatches(tillSource('DHK01', 2), 2, 2);
    const json = Buffer.from(JSON.stringify(batch));
    for (const [v, body] of [
      [1, compress[2](json)],
      [2, compress[1](json)],
    ] as const) {
      const decoded = await decodeQueueMessage(await signedAs(body, v), findKey, nodeQueuePrimitives);
      expect(decoded.ok ? 'ok' : decoded.error, `version ${v}`).toMatchObject({
        code: 'malformed-body',
        field: 'envelope.body',
      });
    }
  });

  it('names the field of a malformed envelope', () => {
    expect(readEnvelope('not base64!')).toMatchObject({ ok: false, error: { code: 'malformed-message' } });
    expect(readEnvelope('{"v":2,')).toMatchObject({ ok: false, error: { code: 'malformed-message' } });
    for (const v of [1, 2]) {
      const bad = readEnvelope(envelopeText({ v, branch: 'dhaka', till: 2, keyId: 'k', sig: 'AA==', body: 'AA==' }));
      expect(bad).toMatchObject({ ok: false, error: { field: 'envelope.branch' } });
    }
    const fields = { branch: 'DHK01', till: 2, keyId: 'k', sig: 'AA==', body: 'AA==' };
    expect(readEnvelope(envelopeText({ v: 3, ...fields }))).toMatchObject({
      ok: false,
      error: { field: 'envelope.v', reason: 'must be 2 or 1' },
    });
    // Each version in its own form only.
    expect(readEnvelope(JSON.stringify({ v: 1, ...fields }))).toMatchObject({
      ok: false,
      error: { code: 'malformed-message', field: 'envelope.v' },
    });
    expect(readEnvelope(base64Encode(utf8Encode(JSON.stringify({ v: 2, ...fields }))))).toMatchObject({
      ok: false,
      error: { code: 'malformed-message', field: 'envelope.v' },
    });
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
