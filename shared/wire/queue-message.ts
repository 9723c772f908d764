import { z } from 'zod';
import { base64Decode as sharedBase64Decode, base64Encode, utf8Decode as sharedUtf8Decode, utf8Encode } from '../bytes';
import { fail, ok, type Result } from '../result';
import { acceptedBatch, parseBatch, type SalesBatch } from './batch';
import { branchCode, problemFromIssues, tillNumber } from './common';

/**
 * One queue message: a small JSON envelope `{ v, branch, till, keyId, sig,
 * body }`. `body` is base64 of the compressed `sales-batch` JSON; `sig` is
 * the till's Ed25519 signature over exactly those compressed bytes. Head
 * office holds only the till's public key, so a copy of the central
 * database cannot forge sales.
 *
 * Version 2, what tills send: the message text is the envelope's JSON
 * itself, and the body is Brotli. Version 1, which tills sent before and
 * which may wait in a queue for as long as a branch stays offline, is read
 * still: the text was base64 of the envelope's JSON, and the body gzip.
 * Version 2 puts about two and a half times as many sales in a message: the
 * body no longer goes through base64 twice, and Brotli packs a grocer's
 * sales into some 40 % fewer bytes than the fast gzip did, for the same
 * time. Fewer, smaller messages are fewer billed queue calls, less to send
 * over a branch's slow line, and less for the worker to receive and delete.
 *
 * The crypto and compression are injected: shared/ stays pure, and the till
 * and the cloud each bring their own few lines.
 */
export const QUEUE_MESSAGE_VERSION = 2;
/** The version before: base64 text, gzip body. Read, never written by a till. */
export const LEGACY_QUEUE_MESSAGE_VERSION = 1;
/** Azure counts the encoded text against 64 KiB; we keep a margin below it. */
export const MAX_QUEUE_MESSAGE_BYTES = 60_000;
/** A batch is at most 5000 events; this bounds what a hostile body may inflate to. */
export const MAX_INFLATED_BATCH_BYTES = 16 * 1024 * 1024;

export interface QueueSigner {
  readonly keyId: string;
  /** Ed25519 over `data` with the till's private key. */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

export interface QueueEncodePrimitives {
  /** Brotli, as version 2 carries the body. */
  brotli(data: Uint8Array): Promise<Uint8Array>;
  /** The platform's own UTF-8 encoder and base64, where it has faster ones than shared/bytes. */
  readonly utf8Encode?: (text: string) => Uint8Array;
  readonly base64Encode?: (bytes: Uint8Array) => string;
}

export interface QueueDecodePrimitives {
  /** Inflates a version 2 body; rejects when the output would pass `maxBytes`. */
  unbrotli(data: Uint8Array, maxBytes: number): Promise<Uint8Array>;
  /** Inflates a version 1 body; rejects when the output would pass `maxBytes`. */
  gunzip(data: Uint8Array, maxBytes: number): Promise<Uint8Array>;
  /** Ed25519 verification with a public key as stored by head office. */
  verify(data: Uint8Array, signature: Uint8Array, publicKey: string): Promise<boolean>;
  /**
   * The platform's own base64 and UTF-8 decoders, where it has faster ones
   * than shared/bytes, as strict: null for anything but standard base64 with
   * padding, and a throw for bytes that are not UTF-8.
   */
  readonly base64Decode?: (text: string) => Uint8Array | null;
  readonly utf8Decode?: (bytes: Uint8Array) => string;
  /**
   * The platform's own reading of the inflated batch's UTF-8 JSON, where it
   * has a faster one: the same value as `JSON.parse(utf8Decode(bytes))`,
   * and a throw wherever either of those throws.
   */
  readonly parseJson?: (bytes: Uint8Array) => unknown;
}

/** The decoders a message's envelope needs. */
export type EnvelopePrimitives = Pick<QueueDecodePrimitives, 'base64Decode' | 'utf8Decode'>;

const keyId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, - or _');

const envelopeSchema = z.object({
  v: z.union([z.literal(QUEUE_MESSAGE_VERSION), z.literal(LEGACY_QUEUE_MESSAGE_VERSION)], {
    error: `must be ${QUEUE_MESSAGE_VERSION} or ${LEGACY_QUEUE_MESSAGE_VERSION}`,
  }),
  branch: branchCode,
  till: tillNumber,
  keyId,
  sig: z.string().min(1).max(200),
  body: z.string().min(1),
});

/** Who a message says it comes from, read before anything is trusted. */
export interface QueueEnvelope {
  /** Which format the body is in: 2 Brotli, 1 gzip. */
  readonly v: typeof QUEUE_MESSAGE_VERSION | typeof LEGACY_QUEUE_MESSAGE_VERSION;
  readonly branch: string;
  readonly till: number;
  readonly keyId: string;
  readonly signature: Uint8Array;
  readonly body: Uint8Array;
}

export async function encodeQueueMessage(
  batch: SalesBatch,
  signer: QueueSigner,
  primitives: QueueEncodePrimitives,
): Promise<Result<string>> {
  const json = (primitives.utf8Encode ?? utf8Encode)(JSON.stringify(batch));
  return encodeBatchJson(
    { branch: batch.branch, till: batch.till, events: batch.events.length },
    json,
    signer,
    primitives,
  );
}

/**
 * The same encoding for a batch already written as UTF-8 JSON: a till joins
 * its outbox rows' stored event JSON into the batch rather than parse them
 * only to write them out again. `batchJson` must be a `sales-batch` from
 * `batch.branch`-`batch.till` with `batch.events` events.
 */
export async function encodeBatchJson(
  batch: { readonly branch: string; readonly till: number; readonly events: number },
  batchJson: Uint8Array,
  signer: QueueSigner,
  primitives: QueueEncodePrimitives,
): Promise<Result<string>> {
  const base64 = primitives.base64Encode ?? base64Encode;
  const body = await primitives.brotli(batchJson);
  const sig = await signer.sign(body);
  // Every field is ASCII: the text's length is its size in UTF-8.
  const text = JSON.stringify({
    v: QUEUE_MESSAGE_VERSION,
    branch: batch.branch,
    till: batch.till,
    keyId: signer.keyId,
    sig: base64(sig),
    body: base64(body),
  });
  if (text.length > MAX_QUEUE_MESSAGE_BYTES) {
    return fail(
      'message-too-large',
      'events',
      `${batch.events} events encode to ${text.length} bytes, above ${MAX_QUEUE_MESSAGE_BYTES}; split the batch`,
    );
  }
  return ok(text);
}

/** Reads the envelope without trusting it: no signature is checked yet. */
export function readEnvelope(text: string, primitives: EnvelopePrimitives = {}): Result<QueueEnvelope> {
  const base64Decode = primitives.base64Decode ?? sharedBase64Decode;
  const utf8Decode = primitives.utf8Decode ?? sharedUtf8Decode;
  if (text.length > MAX_QUEUE_MESSAGE_BYTES) {
    return fail('message-too-large', '(root)', `the message is ${text.length} bytes, above ${MAX_QUEUE_MESSAGE_BYTES}`);
  }
  // A version 2 text is the envelope's JSON; a version 1 text is base64, which never starts with `{`.
  const plain = text.startsWith('{');
  let json = text;
  if (!plain) {
    const outer = base64Decode(text);
    if (!outer) return fail('malformed-message', '(root)', 'the message is neither a JSON envelope nor base64');
    try {
      json = utf8Decode(outer);
    } catch {
      return fail('malformed-message', '(root)', 'the message is base64 of bytes that are not UTF-8');
    }
  }
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return fail('malformed-message', '(root)', 'the message is not a JSON envelope');
  }
  const parsed = envelopeSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: problemFromIssues(parsed.error.issues, 'envelope') };
  const { v } = parsed.data;
  if (plain !== (v === QUEUE_MESSAGE_VERSION)) {
    return fail(
      'malformed-message',
      'envelope.v',
      plain
        ? `a version ${v} envelope is sent as base64, not as JSON`
        : `a version ${v} envelope is sent as JSON, not as base64`,
    );
  }
  const signature = base64Decode(parsed.data.sig);
  if (!signature) return fail('malformed-message', 'envelope.sig', 'the signature is not base64');
  const body = base64Decode(parsed.data.body);
  if (!body) return fail('malformed-message', 'envelope.body', 'the body is not base64');
  const { branch, till } = parsed.data;
  return ok({ v, branch, till, keyId: parsed.data.keyId, signature, body });
}

/**
 * Verifies the envelope with the public key of the till it names, then
 * inflates (bounded) and validates the batch, and checks that the batch is
 * from the till that signed it.
 */
export async function openEnvelope(
  envelope: QueueEnvelope,
  publicKey: string,
  primitives: QueueDecodePrimitives,
): Promise<Result<SalesBatch>> {
  if (!(await primitives.verify(envelope.body, envelope.signature, publicKey))) {
    return fail('bad-signature', 'envelope.sig', `the signature does not match key ${envelope.keyId}`);
  }
  let inflated: Uint8Array;
  try {
    const inflate = envelope.v === QUEUE_MESSAGE_VERSION ? primitives.unbrotli : primitives.gunzip;
    inflated = await inflate(envelope.body, MAX_INFLATED_BATCH_BYTES);
  } catch (error) {
    return fail('malformed-body', 'envelope.body', `the body does not inflate: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = primitives.parseJson
      ? primitives.parseJson(inflated)
      : JSON.parse((primitives.utf8Decode ?? sharedUtf8Decode)(inflated));
  } catch {
    return fail('malformed-body', 'envelope.body', 'the body is not UTF-8 JSON');
  }
  const accepted = acceptedBatch(raw);
  const batch = accepted ? ok(accepted) : parseBatch(raw);
  if (!batch.ok) return batch;
  if (batch.value.branch !== envelope.branch || batch.value.till !== envelope.till) {
    return fail(
      'sender-mismatch',
      'branch',
      `the batch says ${batch.value.branch}-${batch.value.till}, the envelope was signed as ${envelope.branch}-${envelope.till}`,
    );
  }
  return batch;
}

/** The whole decode for callers that look up one key at a time. */
export async function decodeQueueMessage(
  text: string,
  findPublicKey: (sender: { branch: string; till: number; keyId: string }) => Promise<string | undefined>,
  primitives: QueueDecodePrimitives,
): Promise<Result<{ readonly envelope: QueueEnvelope; readonly batch: SalesBatch }>> {
  const envelope = readEnvelope(text, primitives);
  if (!envelope.ok) return envelope;
  const publicKey = await findPublicKey(envelope.value);
  if (!publicKey) {
    return fail(
      'unknown-key',
      'envelope.keyId',
      `no active key ${envelope.value.keyId} for till ${envelope.value.branch}-${envelope.value.till}`,
    );
  }
  const batch = await openEnvelope(envelope.value, publicKey, primitives);
  return batch.ok ? ok({ envelope: envelope.value, batch: batch.value }) : batch;
}
