import { createPrivateKey, sign } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants } from 'node:zlib';
import type { QueueEncodePrimitives, QueueSigner } from '../../shared/wire/queue-message';

const brotliAsync = promisify(brotliCompress);

/**
 * Brotli's quality 4. On a grocer's sales (names in two scripts, product
 * ids, amounts) it makes about 215 bytes a sale where gzip at level 3 made
 * 315, in the same time, and it inflates several times faster. Quality 5
 * packs 15 % more into a message for twice the time, which a push of a
 * long offline day felt; quality 11 takes a hundred times as long.
 */
const BROTLI_QUALITY = 4;

/** Brotli's settings for a batch of `bytes` bytes of JSON, as a till compresses it. */
export function tillBrotliParams(bytes: number): Record<number, number> {
  return {
    [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    [constants.BROTLI_PARAM_SIZE_HINT]: bytes,
  };
}

/**
 * Room for a whole message's compressed output at once (about 44 KiB):
 * with zlib's default of 16 KiB a message went to the thread pool and back
 * three times instead of once.
 */
const OUTPUT_CHUNK = 64 * 1024;

/**
 * Compression on libuv's thread pool, never on the thread that runs the
 * till; UTF-8 and base64 by Node's native code rather than shared/'s
 * portable loops, which cost a push a few milliseconds a message.
 */
export const tillQueuePrimitives: QueueEncodePrimitives = {
  brotli: async (data) => brotliAsync(data, { chunkSize: OUTPUT_CHUNK, params: tillBrotliParams(data.byteLength) }),
  utf8Encode: (text) => Buffer.from(text, 'utf8'),
  base64Encode: (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
};

/** Signs with the till's Ed25519 private key from its provisioning bundle (PKCS#8 DER, base64). */
export function tillSigner(keyId: string, privateKeyPkcs8Base64: string): QueueSigner {
  const key = createPrivateKey({ key: Buffer.from(privateKeyPkcs8Base64, 'base64'), format: 'der', type: 'pkcs8' });
  return { keyId, sign: async (data) => sign(null, data, key) };
}
