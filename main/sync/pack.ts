import { assert } from '../../shared/assert';
import type { IdFactory, TillId } from '../../shared/ids';
import { MAX_EVENTS_PER_BATCH, SALES_BATCH_TYPE, SALES_BATCH_VERSION } from '../../shared/wire/batch';
import {
  encodeBatchJson,
  MAX_QUEUE_MESSAGE_BYTES,
  type QueueEncodePrimitives,
  type QueueSigner,
} from '../../shared/wire/queue-message';
import type { ReadableDB } from '../store/db';
import { type OutboxRow, type PendingEvent, pendingEventsBetween } from '../store/outbox';

export interface PackedMessage {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly events: number;
  readonly sales: number;
  readonly text: string;
}

export interface PackDeps {
  readonly till: TillId;
  readonly ids: IdFactory;
  readonly now: () => number;
  readonly signer: QueueSigner;
  readonly primitives: QueueEncodePrimitives;
}

/** Splits outbox rows into runs of consecutive sequences: a batch must cover a range without holes. */
export function contiguousRuns<R extends { readonly seq: number }>(rows: readonly R[]): R[][] {
  const runs: R[][] = [];
  for (const row of rows) {
    const run = runs.at(-1);
    const last = run?.at(-1);
    if (run && last && row.seq === last.seq + 1) run.push(row);
    else runs.push([row]);
  }
  return runs;
}

/** Aim a little under the limit so that the next message rarely overshoots. */
const TARGET = Math.floor(MAX_QUEUE_MESSAGE_BYTES * 0.92);

const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}');

/** Whether `body` starts with `{"seq":<seq>,`, as appendEvent writes every event. */
function holdsSeq(body: Uint8Array, seq: number): boolean {
  const prefix = `{"seq":${seq},`;
  for (let i = 0; i < prefix.length; i++) if (body[i] !== prefix.charCodeAt(i)) return false;
  return true;
}

/**
 * The `sales-batch` JSON of a run of outbox events, written around their
 * stored event JSON as it is: the outbox checked each event against the wire
 * schema when it wrote it, and parsing every event only to write it out
 * again was most of a push's work.
 */
function batchJson(deps: PackDeps, events: readonly PendingEvent[]): Buffer {
  const first = events[0];
  const last = events.at(-1);
  assert(first && last, 'a batch has events');
  const header = JSON.stringify({
    type: SALES_BATCH_TYPE,
    v: SALES_BATCH_VERSION,
    id: deps.ids.batch(),
    branch: deps.till.branch,
    till: deps.till.till,
    firstSeq: first.seq,
    lastSeq: last.seq,
    deviceTime: deps.now(),
  });
  const parts: Uint8Array[] = [Buffer.from(`${header.slice(0, -1)},"events":[`)];
  for (const [i, e] of events.entries()) {
    // A cheap proof that the body is the row's own event, so the range the header names is the one carried.
    assert(holdsSeq(e.body, e.seq), `outbox row ${e.seq} does not hold its own event`);
    if (i > 0) parts.push(COMMA);
    parts.push(e.body);
  }
  parts.push(CLOSE);
  return Buffer.concat(parts);
}

/**
 * Packs outbox events into signed, compressed queue messages of at most
 * 60,000 bytes each, as many events per message as fit (fewer calls, each
 * billed), one message at a time so that a caller can send each while the
 * next is packed. How many events go in a message follows from their JSON
 * size and how well the last message compressed; an attempt that comes out
 * too large is retried smaller.
 */
export class Packer {
  /** Message text per byte of batch JSON, as the last message came out; unknown before the first. */
  private ratio: number | undefined;
  private readonly firstCount: number;

  constructor(
    private readonly deps: PackDeps,
    firstCount = 100,
  ) {
    this.firstCount = Math.max(1, Math.min(firstCount, MAX_EVENTS_PER_BATCH));
  }

  /** How many events from `start` should fill a message, and whether they reach the end of `events` short of one. */
  private fit(events: readonly PendingEvent[], start: number): { count: number; short: boolean } {
    const left = events.length - start;
    if (this.ratio === undefined) return { count: Math.min(this.firstCount, left), short: left < this.firstCount };
    const budget = TARGET / this.ratio;
    let bytes = 2;
    let count = 0;
    for (; count < Math.min(left, MAX_EVENTS_PER_BATCH); count++) {
      bytes += (events[start + count] as PendingEvent).body.length + 1;
      if (bytes > budget) return { count: Math.max(1, count), short: false };
    }
    return { count, short: count === left };
  }

  /**
   * Packs one run of consecutive sequences. When more of the run may follow
   * (`more`), a tail too short to fill a message is left unpacked: the
   * returned number of events is where it starts, for the caller to pack
   * with what follows.
   */
  async *run(events: readonly PendingEvent[], more = false): AsyncGenerator<PackedMessage, number> {
    let start = 0;
    while (start < events.length) {
      const fit = this.fit(events, start);
      if (more && fit.short) return start;
      let count = fit.count;
      for (;;) {
        const slice = events.slice(start, start + count);
        const json = batchJson(this.deps, slice);
        const encoded = await encodeBatchJson(
          { branch: this.deps.till.branch, till: this.deps.till.till, events: count },
          json,
          this.deps.signer,
          this.deps.primitives,
        );
        if (encoded.ok) {
          this.ratio = encoded.value.length / json.length;
          yield {
            firstSeq: (slice[0] as PendingEvent).seq,
            lastSeq: (slice.at(-1) as PendingEvent).seq,
            events: count,
            sales: slice.filter((e) => e.type === 'sale.completed').length,
            text: encoded.value,
          };
          start += count;
          break;
        }
        if (count === 1) {
          throw new Error(
            `outbox event ${events[start]?.seq} alone encodes above ${MAX_QUEUE_MESSAGE_BYTES} bytes and cannot be sent`,
          );
        }
        // Far off only before the first message has shown how this outbox compresses.
        count = Math.max(1, Math.min(count - 1, Math.floor(count * (this.ratio === undefined ? 0.5 : 0.9))));
      }
    }
    return start;
  }
}

/**
 * Events read from the outbox per round: a few messages' worth, so that a
 * round's read (a few milliseconds) never holds up the sends for long.
 */
const ROUND = 1_000;

/**
 * The pending outbox up to `endSeq`, read round by round and packed one
 * message at a time; a run of sequences that goes on into the next round is
 * packed with it, so rounds leave no half-empty messages behind.
 */
export async function* packOutbox(deps: PackDeps & { readonly db: ReadableDB }, endSeq: number, round = ROUND) {
  const packer = new Packer(deps);
  let carried: PendingEvent[] = [];
  let afterSeq = 0;
  for (;;) {
    const events = pendingEventsBetween(deps.db, afterSeq, endSeq, round);
    const more = events.length === round;
    afterSeq = events.at(-1)?.seq ?? afterSeq;
    const runs = contiguousRuns(carried.concat(events));
    carried = [];
    for (const [i, run] of runs.entries()) {
      const rest = yield* packer.run(run, more && i === runs.length - 1);
      carried = run.slice(rest);
    }
    if (!more) return;
  }
}

/** Packs the given outbox rows all at once, split at their holes. */
export async function packMessages(
  deps: PackDeps,
  rows: readonly OutboxRow[],
  firstCount = 100,
): Promise<PackedMessage[]> {
  const packer = new Packer(deps, firstCount);
  const messages: PackedMessage[] = [];
  const events = rows.map((r) => ({ seq: r.seq, type: r.type, body: Buffer.from(r.body) }));
  for (const run of contiguousRuns(events)) for await (const m of packer.run(run)) messages.push(m);
  return messages;
}
