import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, constants, gunzip } from 'node:zlib';
import { parseBatchJson } from './batch-json';
import type { QueueDecodePrimitives, QueueEncodePrimitives, QueueSigner } from '../../shared/wire/queue-message';

const brotliAsync = promisify(brotliCompress);
const unbrotliAsync = promisify(brotliDecompress);
const gunzipAsync = promisify(gunzip);

/**
 * Room for a whole batch's JSON (some 400–600 KB) in one piece of output:
 * with zlib's default of 16 KiB, a message went to the thread pool and back
 * some thirty times and its pieces were joined after, which cost the worker
 * four times the CPU of the inflating itself.
 */
const INFLATE_CHUNK = 1024 * 1024;

/** Parsing a key costs more than verifying with it; tills are few. */
const publicKeys = new Map<string, KeyObject>();

function publicKeyObject(spkiBase64: string): KeyObject {
  let key = publicKeys.get(spkiBase64);
  if (!key) {
    key = createPublicKey({ key: Buffer.from(spkiBase64, 'base64'), format: 'der', type: 'spki' });
    if (publicKeys.size > 10_000) publicKeys.clear();
    publicKeys.set(spkiBase64, key);
  }
  return key;
}

export const nodeQueuePrimitives: QueueEncodePrimitives & QueueDecodePrimitives = {
  // As a till compresses (main/sync/till-primitives): Brotli's default quality, 11, is a hundred times slower.
  brotli: async (data) => brotliAsync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }),
  // Node's own decoders, many times faster than the portable ones on a
  // worker's hot path, and as strict.
  base64Decode(text) {
    // Node's decoder skips what is not base64 and takes base64url too; only
    // text that it would write back the same is standard, padded base64.
    const bytes = Buffer.from(text, 'base64');
    return bytes.toString('base64') === text ? bytes : null;
  },
  utf8Decode(bytes) {
    if (!isUtf8(bytes)) throw new TypeError('the bytes are not UTF-8');
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  },
  parseJson: parseBatchJson,
  unbrotli: async (data, maxBytes) => unbrotliAsync(data, { maxOutputLength: maxBytes, chunkSize: INFLATE_CHUNK }),
  gunzip: async (data, maxBytes) => gunzipAsync(data, { maxOutputLength: maxBytes, chunkSize: INFLATE_CHUNK }),
  async verify(data, signature, publicKey) {
    try {
      return verify(null, data, publicKeyObject(publicKey), signature);
    } catch {
      return false;
    }
  },
};

export interface TillKeyPair {
  readonly keyId: string;
  /** Ed25519 SubjectPublicKeyInfo DER, base64: what head office stores. */
  readonly publicKey: string;
  /** Ed25519 PKCS#8 DER, base64: goes only into the till's provisioning bundle. */
  readonly privateKey: string;
}

export function generateTillKey(): TillKeyPair {
  const pair = generateKeyPairSync('ed25519');
  return {
    keyId: randomBytes(9).toString('base64url'),
    publicKey: pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    privateKey: pair.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  };
}

export function nodeSigner(keyId: string, privateKeyPkcs8Base64: string): QueueSigner {
  const key = createPrivateKey({ key: Buffer.from(privateKeyPkcs8Base64, 'base64'), format: 'der', type: 'pkcs8' });
  return { keyId, sign: async (data) => sign(null, data, key) };
}
