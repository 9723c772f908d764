import { createPrivateKey, sign } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { QueueEncodePrimitives, QueueSigner } from '../../shared/wire/queue-message';

const gzipAsync = promisify(gzip);

/**
 * zlib's default level. Level 9 packs about 6% more sales into a message and
 * takes more than twice as long, which was a third of a push's work.
 */
const GZIP_LEVEL = 6;

/**
 * Compression on libuv's thread pool, never on the thread that runs the
 * till; UTF-8 and base64 by Node's native code rather than shared/'s
 * portable loops, which cost a push a few milliseconds a message.
 */
export const tillQueuePrimitives: QueueEncodePrimitives = {
  gzip: async (data) => gzipAsync(data, { level: GZIP_LEVEL }),
  utf8Encode: (text) => Buffer.from(text, 'utf8'),
  base64Encode: (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
};

/** Signs with the till's Ed25519 private key from its provisioning bundle (PKCS#8 DER, base64). */
export function tillSigner(keyId: string, privateKeyPkcs8Base64: string): QueueSigner {
  const key = createPrivateKey({ key: Buffer.from(privateKeyPkcs8Base64, 'base64'), format: 'der', type: 'pkcs8' });
  return { keyId, sign: async (data) => sign(null, data, key) };
}
