import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Decode, base64Encode, utf8Decode } from '../../shared/bytes';
import { readEnvelope } from '../../shared/wire/queue-message';
import { nodeQueuePrimitives } from './node-primitives';

const nodeBase64Decode = nodeQueuePrimitives.base64Decode!;
const nodeUtf8Decode = nodeQueuePrimitives.utf8Decode!;

function decodesUtf8(decode: (bytes: Uint8Array) => string, bytes: Uint8Array): string | null {
  try {
    return decode(bytes);
  } catch {
    return null;
  }
}

/** Text near base64: its alphabet, base64url's, padding, whitespace and the odd stranger. */
const base64ish = fc
  .array(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \n.é'.split('')), {
    maxLength: 40,
  })
  .map((chars) => chars.join(''));

describe("the worker's own base64 and UTF-8 decoders", () => {
  it('decode what the portable encoder wrote, byte for byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(nodeBase64Decode(base64Encode(bytes))).toEqual(Buffer.from(bytes));
      }),
    );
  });

  it('refuse everything the portable decoder refuses', () => {
    fc.assert(
      fc.property(base64ish, (text) => {
        if (base64Decode(text) === null) expect(nodeBase64Decode(text)).toBeNull();
      }),
      { numRuns: 5000 },
    );
    for (const text of ['QUJD-A==', 'QUJD_A==', 'QUJ D', 'QUJDRA=', 'QU=JD', '====', 'QUJDRA===', 'QUJD\n']) {
      expect(nodeBase64Decode(text), text).toBeNull();
    }
  });

  it('decode UTF-8 exactly as the portable decoder does, and refuse the same malformed bytes', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => new Uint8Array(Buffer.from(s, 'utf8'))),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        expect(decodesUtf8(nodeUtf8Decode, b)).toBe(decodesUtf8(utf8Decode, b));
      }),
      { numRuns: 5000 },
    );
    // A lone continuation byte, an overlong slash and a surrogate half.
    for (const b of [[0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80]]) {
      expect(() => nodeUtf8Decode(new Uint8Array(b))).toThrow();
    }
  });

  it('read an envelope as the portable decoders do', () => {
    const fields = { branch: 'DHK01', till: 2, keyId: 'k1', sig: 'AAAA', body: 'H4sI' };
    const v1 = base64Encode(Buffer.from(JSON.stringify({ v: 1, ...fields })));
    const v2 = JSON.stringify({ v: 2, ...fields });
    const plain = (r: ReturnType<typeof readEnvelope>) =>
      r.ok ? { ...r.value, signature: [...r.value.signature], body: [...r.value.body] } : r;
    for (const text of [v1, v2]) {
      expect(readEnvelope(text, nodeQueuePrimitives).ok).toBe(true);
      expect(plain(readEnvelope(text, nodeQueuePrimitives))).toEqual(plain(readEnvelope(text)));
    }
    expect(readEnvelope(`${v1.slice(0, -4)}-_-_`, nodeQueuePrimitives)).toMatchObject({
      ok: false,
      error: { code: 'malformed-message', field: '(root)' },
    });
    expect(readEnvelope(JSON.stringify({ v: 2, ...fields, body: 'H4sI-_-_' }), nodeQueuePrimitives)).toMatchObject({
      ok: false,
      error: { code: 'malformed-message', field: 'envelope.body' },
    });
  });
});
