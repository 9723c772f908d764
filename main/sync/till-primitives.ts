import { createPrivateKey, sign } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { QueueEncodePrimitives, QueueSigner } from '../../shared/wire/queue-message';

const gzipAsync = promisify(gzip);

/**
 * The highest of deflate's fast levels. On a month of grocery sales it puts
 * about 143 sales in a message where zlib's default (6) puts 185, in half
 * the time: compressing was the largest part of what a push does beyond
 * sending. Level 9 packs 6% more than 6 for more than twice as long.
 */
const GZIP_LEVEL = 3;

/**
 * Room for a whole message's compressed output at once (about 31 KiB):
 * with zlib's default of 16 KiB a message went to the thread pool and back
 * three times instead of once.
 */
const GZIP_CHUNK = 64 * 1024;

/**
 * Compression on libuv's thread pool, never on the thread that runs the
 * till; UTF-8 and base64 by Node's native code rather than shared/'s
 * portable loops, which cost a push a few milliseconds a message.
 */
export const tillQueuePrimitives: QueueEncodePrimitives = {
  gzip: async (data) => gzipAsync(data, { level: GZIP_LEVEL, chunkSize: GZIP_CHUNK }),
  utf8Encode: (text) => Buffer.from(text, 'utf8'),
  base64Encode: (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
};

/** Signs with the till's Ed25519 private key from its provisioning bundle (PKCS#8 DER, base64). */
export function tillSigner(keyId: string, privateKeyPkcs8Base64: string): QueueSigner {
  const key = createPrivateKey({ key: Buffer.from(privateKeyPkcs8Base64, 'base64'), format: 'der', type: 'pkcs8' });
  return { keyId, sign: async (data) => sign(null, data, key) };
}
