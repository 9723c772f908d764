import { createPrivateKey, sign } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { QueueEncodePrimitives, QueueSigner } from '../../shared/wire/queue-message';

const gzipAsync = promisify(gzip);

/** Compression on libuv's thread pool, never on the thread that runs the till. */
export const tillQueuePrimitives: QueueEncodePrimitives = {
  gzip: async (data) => gzipAsync(data, { level: 9 }),
};

/** Signs with the till's Ed25519 private key from its provisioning bundle (PKCS#8 DER, base64). */
export function tillSigner(keyId: string, privateKeyPkcs8Base64: string): QueueSigner {
  const key = createPrivateKey({ key: Buffer.from(privateKeyPkcs8Base64, 'base64'), format: 'der', type: 'pkcs8' });
  return { keyId, sign: async (data) => sign(null, data, key) };
}
