/**
 * The hostile half of the chaos run: queue messages and API requests that
 * head office must refuse, each with a reason, made by fast-check from real
 * material (a branch's own signing key and real outbox events), so that each
 * is wrong in exactly one way a forger, a broken till or a replay would be.
 *
 * Messages are sent with the account's key straight to the queue (what an
 * attacker holding an add-only SAS can do too), each message id is kept, and
 * at the end every one must be in `rejected_messages` with a reason, or, for
 * the queue's own refusals (a message over 64 KiB), have been refused at the
 * door. Replays of old genuine batches are not refused: they must change
 * nothing, which the reconciliation checks (no duplicates).
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { QueueClient } from '@azure/storage-queue';
import { createIdFactory } from '../../shared/ids';
import { SALES_BATCH_TYPE, type SalesBatch } from '../../shared/wire/batch';
import type { TillEvent } from '../../shared/wire/events';
import { LEGACY_QUEUE_MESSAGE_VERSION, QUEUE_MESSAGE_VERSION } from '../../shared/wire/queue-message';
import { tillBrotliParams } from '../../main/sync/till-primitives';

export const MESSAGE_KINDS = [
  'malformed',
  'truncated',
  'oversized',
  'gzip-bomb',
  'brotli-bomb',
  'wrong-type',
  'bad-signature',
  'missing-signature',
  'other-branch-key',
  'other-branch-batch',
  'unknown-version',
  'replayed',
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export const REQUEST_KINDS = [
  'pull-wrong-token',
  'pull-no-token',
  'pull-bad-query',
  'pull-other-branch',
  'admin-wrong-token',
  'admin-injection',
] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** A branch's real credentials and some of its real events: what a forgery starts from. */
export interface Material {
  readonly branch: string;
  readonly till: number;
  readonly keyId: string;
  readonly signingKey: string;
  readonly events: readonly TillEvent[];
  readonly otherBranch: string;
  readonly otherTill: number;
}

export interface BadMessage {
  readonly kind: MessageKind;
  readonly text: string;
}

const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE sales; --",
  '" OR ""="',
  '1; SELECT pg_sleep(10)',
  "x' UNION SELECT password_hash FROM admins --",
  '../../etc/passwd',
  '%00',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '{"$gt":""}',
  '\u0000',
  'DHK01\r\nX-Injected: 1',
] as const;

const b64 = (data: Uint8Array | string) => Buffer.from(data).toString('base64');
const ids = createIdFactory(Date.now, (n) => new Uint8Array(randomBytes(n)));

function batchOf(m: Material): SalesBatch {
  const events = m.events;
  return {
    type: SALES_BATCH_TYPE,
    v: 1,
    id: ids.batch(),
    branch: m.branch,
    till: m.till,
    firstSeq: events[0]!.seq,
    lastSeq: events[events.length - 1]!.seq,
    deviceTime: Date.now(),
    events,
  };
}

/** The envelope as the till makes it, over whatever JSON the body holds, optionally with another key or claim. */
function envelope(
  m: Material,
  bodyJson: string | { readonly compressed: Uint8Array },
  opts: {
    sign?: (body: Uint8Array) => Uint8Array;
    claim?: { branch: string; till: number };
    v?: unknown;
    /** As tills sent before version 2: a gzip body, and base64 text (see `toText`). */
    legacy?: boolean;
  } = {},
): Record<string, unknown> {
  const body =
    typeof bodyJson !== 'string'
      ? bodyJson.compressed
      : opts.legacy
        ? gzipSync(Buffer.from(bodyJson))
        : brotliCompressSync(Buffer.from(bodyJson), { params: tillBrotliParams(Buffer.byteLength(bodyJson)) });
  const sig = (opts.sign ?? ((b) => signWith(m.signingKey, b)))(body);
  return {
    v: opts.v ?? (opts.legacy ? LEGACY_QUEUE_MESSAGE_VERSION : QUEUE_MESSAGE_VERSION),
    branch: opts.claim?.branch ?? m.branch,
    till: opts.claim?.till ?? m.till,
    keyId: m.keyId,
    sig: b64(sig),
    body: b64(body),
  };
}

const keys = new Map<string, KeyObject>();
/** Ed25519 over the compressed body, as the till signs (`tillSigner`), but synchronous for fast-check's maps. */
function signWith(privateKey: string, data: Uint8Array): Uint8Array {
  let key = keys.get(privateKey);
  if (!key) {
    key = createPrivateKey({ key: Buffer.from(privateKey, 'base64'), format: 'der', type: 'pkcs8' });
    keys.set(privateKey, key);
  }
  return sign(null, data, key);
}

const bombs = new Map<string, Uint8Array>();
/** `mib` MiB of spaces, compressed to a few kilobytes; made once per size and compression. */
function bomb(mib: number, how: 'gzip' | 'brotli'): Uint8Array {
  let body = bombs.get(`${how} ${mib}`);
  if (!body) {
    const spaces = Buffer.alloc(mib * 1024 * 1024, 32);
    body =
      how === 'gzip'
        ? gzipSync(spaces, { level: 9 })
        : brotliCompressSync(spaces, { params: tillBrotliParams(spaces.length) });
    bombs.set(`${how} ${mib}`, body);
  }
  return body;
}

/** The message text of an envelope: version 1 went as base64 of its JSON, every other as the JSON itself. */
const toText = (env: Record<string, unknown>) =>
  env.v === LEGACY_QUEUE_MESSAGE_VERSION ? b64(JSON.stringify(env)) : JSON.stringify(env);

const notString = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
);
const notInteger = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.boolean(),
  fc.constant(null),
  fc.double({ noInteger: true, noNaN: true }),
  fc.constant(-1),
  fc.array(fc.integer(), { maxLength: 3 }),
);

/** One field of the batch or its first event, given a value of the wrong type. */
const wrongTypeBatch = (m: Material) =>
  fc
    .oneof(
      fc.record({ at: fc.constantFrom('type', 'id', 'branch'), value: notString }),
      fc.record({ at: fc.constantFrom('v', 'till', 'firstSeq', 'lastSeq', 'deviceTime'), value: notInteger }),
      fc.record({ at: fc.constant('events'), value: fc.oneof(fc.constant([]), notString) }),
      fc.record({ at: fc.constantFrom('event.id', 'event.type'), value: notString }),
      fc.record({ at: fc.constant('event.seq'), value: notInteger }),
    )
    .map(({ at, value }) => {
      const batch = structuredClone(batchOf(m)) as unknown as Record<string, unknown>;
      if (at.startsWith('event.')) {
        const events = batch.events as Record<string, unknown>[];
        events[0] = { ...events[0], [at.slice(6)]: value };
      } else batch[at] = value;
      return JSON.stringify(batch);
    });

/** An arbitrary of one bad message of the given kind. */
export function badMessage(kind: MessageKind, m: Material): fc.Arbitrary<BadMessage> {
  const genuine = () => toText(envelope(m, JSON.stringify(batchOf(m))));
  const as = (a: fc.Arbitrary<string>) => a.map((text) => ({ kind, text }));
  switch (kind) {
    case 'malformed':
      return as(
        fc.oneof(
          fc.string({ minLength: 1, maxLength: 200 }),
          fc.base64String({ minLength: 4, maxLength: 200 }),
          fc.json().map((j) => b64(j)),
          fc
            .record({ v: fc.constant(1), branch: fc.constant(m.branch), till: fc.constant(m.till), body: fc.string() })
            .map((e) => b64(JSON.stringify(e))),
        ),
      );
    case 'truncated':
      return as(
        fc.double({ min: 0.01, max: 0.99, noNaN: true }).map((f) => {
          const text = genuine();
          return text.slice(0, Math.max(1, Math.floor(text.length * f)));
        }),
      );
    case 'oversized':
      return as(fc.integer({ min: 65_537, max: 80_000 }).map((n) => 'A'.repeat(n)));
    case 'gzip-bomb':
      // A signed body that inflates past the worker's 16 MiB cap, in a version 1 message.
      return as(
        fc.constantFrom(17, 32).map((mib) => toText(envelope(m, { compressed: bomb(mib, 'gzip') }, { legacy: true }))),
      );
    case 'brotli-bomb':
      return as(fc.constantFrom(17, 32).map((mib) => toText(envelope(m, { compressed: bomb(mib, 'brotli') }))));
    case 'wrong-type':
      return as(wrongTypeBatch(m).map((json) => toText(envelope(m, json))));
    case 'bad-signature':
      return as(
        fc.oneof(
          fc
            .uint8Array({ minLength: 64, maxLength: 64 })
            .map((sig) => toText(envelope(m, JSON.stringify(batchOf(m)), { sign: () => sig }))),
          fc.constant(null).map(() => {
            const stranger = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'der' });
            return toText(envelope(m, JSON.stringify(batchOf(m)), { sign: (b) => signWith(b64(stranger), b) }));
          }),
          // Signed, then the body changed: a till's batch altered on the way.
          fc.constant(null).map(() => {
            const env = envelope(m, JSON.stringify(batchOf(m)));
            const other = envelope(m, JSON.stringify({ ...batchOf(m), deviceTime: 1 }));
            return toText({ ...env, body: other.body });
          }),
        ),
      );
    case 'missing-signature':
      return as(
        fc.constantFrom('absent', 'empty', 'not-base64').map((how) => {
          const env = envelope(m, JSON.stringify(batchOf(m)));
          if (how === 'absent') delete env.sig;
          else env.sig = how === 'empty' ? '' : '!!not base64!!';
          return toText(env);
        }),
      );
    case 'other-branch-key':
      // Signed with this branch's key, claiming to be a till of another branch.
      return as(
        fc.constant(null).map(() => {
          const batch = { ...batchOf(m), branch: m.otherBranch, till: m.otherTill };
          return toText(envelope(m, JSON.stringify(batch), { claim: { branch: m.otherBranch, till: m.otherTill } }));
        }),
      );
    case 'other-branch-batch':
      // The envelope is honest; the batch inside names another branch.
      return as(
        fc
          .constant(null)
          .map(() => toText(envelope(m, JSON.stringify({ ...batchOf(m), branch: m.otherBranch, till: m.otherTill })))),
      );
    case 'unknown-version':
      return as(
        fc.oneof(
          fc
            .oneof(fc.constant(0), fc.integer({ min: 3, max: 1000 }))
            .map((v) => toText(envelope(m, JSON.stringify(batchOf(m)), { v }))),
          // A version in the other one's form: version 1 as plain JSON.
          fc.constant(null).map(() => JSON.stringify(envelope(m, JSON.stringify(batchOf(m)), { legacy: true }))),
          fc.integer({ min: 2, max: 1000 }).map((v) => toText(envelope(m, JSON.stringify({ ...batchOf(m), v })))),
        ),
      );
    case 'replayed':
      return as(fc.constant(null).map(genuine));
  }
}

/** Draws `count` bad messages, the kinds in turn so each appears, fast-check choosing the rest. */
export function drawMessages(count: number, materials: readonly Material[], seed: number): BadMessage[] {
  const out: BadMessage[] = [];
  let i = 0;
  for (const value of fc.sample(
    fc.nat().chain((n) => {
      const kind = MESSAGE_KINDS[i++ % MESSAGE_KINDS.length]!;
      return badMessage(kind, materials[n % materials.length]!);
    }),
    { numRuns: count, seed },
  )) {
    out.push(value);
  }
  return out;
}

export interface BadRequest {
  readonly kind: RequestKind;
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
  /** For a pull with a real token: the only branch whose data it may see. */
  readonly ownBranch?: string;
}

export interface RequestMaterial {
  readonly branch: string;
  readonly pullToken: string;
  readonly adminToken: string;
  readonly otherBranch: string;
}

const injection = fc.oneof(
  fc.constantFrom(...INJECTIONS),
  fc.constantFrom(...INJECTIONS).chain((s) => fc.string({ maxLength: 8 }).map((p) => p + s)),
);
const wrongToken = (real: string) =>
  fc.oneof(
    fc.string({ minLength: 1, maxLength: 80 }).filter((t) => t !== real && /^[\x21-\x7e]+$/.test(t)),
    fc.base64String({ minLength: 8, maxLength: 64 }).filter((t) => t !== real),
    fc.nat({ max: real.length - 1 }).map((i) => real.slice(0, i) + (real[i] === 'A' ? 'B' : 'A') + real.slice(i + 1)),
    injection.map((s) => encodeURIComponent(s)),
  );

export function badRequest(kind: RequestKind, r: RequestMaterial): fc.Arbitrary<BadRequest> {
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
  switch (kind) {
    case 'pull-wrong-token':
      return wrongToken(r.pullToken).map((t) => ({ kind, method: 'GET', path: '/v1/pull', headers: bearer(t) }));
    case 'pull-no-token':
      return fc
        .constantFrom<Record<string, string>[]>(
          {},
          { authorization: '' },
          { authorization: 'Bearer' },
          { authorization: `Basic ${r.pullToken}` },
        )
        .map((headers) => ({ kind, method: 'GET', path: '/v1/pull', headers }));
    case 'pull-bad-query':
      return fc
        .record({
          key: fc.constantFrom('cursor', 'limit'),
          value: fc.oneof(injection, fc.string({ minLength: 1, maxLength: 30 })).filter((v) => !/^\d+$/.test(v)),
        })
        .map(({ key, value }) => ({
          kind,
          method: 'GET',
          path: `/v1/pull?${key}=${encodeURIComponent(value)}`,
          headers: bearer(r.pullToken),
        }));
    case 'pull-other-branch':
      return fc.constantFrom('branch', 'branchCode', 'code', 'till').map((key) => ({
        kind,
        method: 'GET',
        path: `/v1/pull?${key}=${encodeURIComponent(r.otherBranch)}`,
        headers: bearer(r.pullToken),
        ownBranch: r.branch,
      }));
    case 'admin-wrong-token':
      return fc
        .record({
          token: wrongToken(r.adminToken),
          target: fc.constantFrom(
            { method: 'POST' as const, path: '/v1/admin/branches', body: { code: 'EVIL1', nameEn: 'x', nameBn: 'x' } },
            { method: 'POST' as const, path: `/v1/admin/branches/${r.branch}/tills`, body: { till: 9 } },
            { method: 'PUT' as const, path: `/v1/admin/branches/${r.branch}/settings`, body: { retentionDays: 1 } },
          ),
        })
        .map(({ token, target }) => ({ kind, ...target, headers: bearer(token) }));
    case 'admin-injection':
      return fc
        .record({ s: injection, where: fc.constantFrom('branch-code', 'branch-path', 'till', 'product-id') })
        .map(({ s, where }): BadRequest => {
          const headers = bearer(r.adminToken);
          switch (where) {
            case 'branch-code':
              return {
                kind,
                method: 'POST',
                path: '/v1/admin/branches',
                headers,
                body: { code: s, nameEn: s, nameBn: s },
              };
            case 'branch-path':
              return {
                kind,
                method: 'PUT',
                path: `/v1/admin/branches/${encodeURIComponent(s)}/settings`,
                headers,
                body: { retentionDays: 1 },
              };
            case 'till':
              return { kind, method: 'POST', path: `/v1/admin/branches/${r.branch}/tills`, headers, body: { till: s } };
            default:
              return {
                kind,
                method: 'PUT',
                path: `/v1/admin/products/${encodeURIComponent(s)}`,
                headers,
                body: { sku: s, nameEn: s, nameBn: s, price: s },
              };
          }
        });
  }
}

export function drawRequests(count: number, materials: readonly RequestMaterial[], seed: number): BadRequest[] {
  let i = 0;
  return fc.sample(
    fc.nat().chain((n) => badRequest(REQUEST_KINDS[i++ % REQUEST_KINDS.length]!, materials[n % materials.length]!)),
    { numRuns: count, seed },
  );
}

export type RequestOutcome = 'rejected' | 'own-data-only' | 'accepted' | 'server-error';

/** How head office answered a bad request: refused with a reason, or not. */
export async function sendRequest(base: string, req: BadRequest): Promise<RequestOutcome> {
  const res = await fetch(base + req.path, {
    method: req.method,
    headers: { ...req.headers, ...(req.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (res.status >= 500) return 'server-error';
  if (res.status >= 400) {
    try {
      const problem = (JSON.parse(text) as { error?: { reason?: unknown } }).error;
      return typeof problem?.reason === 'string' && problem.reason.length > 0 ? 'rejected' : 'server-error';
    } catch {
      return 'server-error';
    }
  }
  if (req.ownBranch) {
    const body = JSON.parse(text) as { branch?: string };
    return body.branch === req.ownBranch ? 'own-data-only' : 'accepted';
  }
  return 'accepted';
}

/** Sends one bad message; the queue's own refusal (a 413 for oversize) counts as refused with its reason. */
export async function sendMessage(
  queue: QueueClient,
  message: BadMessage,
): Promise<{ messageId: string } | { refusedByQueue: string }> {
  try {
    const r = await queue.sendMessage(message.text, { messageTimeToLive: -1 });
    return { messageId: r.messageId };
  } catch (e) {
    const status = (e as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500)
      return { refusedByQueue: `${status} ${(e as Error).message.split('\n')[0]}` };
    throw e;
  }
}
