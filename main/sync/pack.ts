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

/** Aim a little under the limit so that the next message rarely overshoots. */
const TARGET = Math.floor(MAX_QUEUE_MESSAGE_BYTES * 0.92);

/**
 * Message text per byte of batch JSON that sales come out at, a little on
 * the pessimistic side, for sizing the first message before any has shown
 * how this outbox compresses. Brotli packs a large batch much better than a
 * small one: a first message of a hundred events taught a ratio that left
 * the messages after it a third empty. One sized by this guess is a sample
 * as large as they are.
 */
const FIRST_GUESS_RATIO = 0.16;

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

/** What the packer reads next: events in sequence order, and whether they are the last. */
export type EventRounds = () => { readonly events: readonly PendingEvent[]; readonly last: boolean };

interface Encoding {
  readonly slice: readonly PendingEvent[];
  readonly message: Promise<PackedMessage | undefined>;
}

/**
 * Packs outbox events into signed, compressed queue messages of at most
 * 60,000 bytes each, as many events per message as fit (fewer calls, each
 * billed), in sequence order, so that a caller can send each while the next
 * ones are packed. How many events go in a message follows from their JSON
 * size and how well the last message compressed; a message that comes out
 * too large is packed again smaller.
 */
export class Packer {
  /** Message text per byte of batch JSON, as the last message came out; unknown before the first. */
  private ratio: number | undefined;
  /** Events in the first message, when given; else it is sized by `FIRST_GUESS_RATIO`. */
  private readonly firstCount: number | undefined;

  constructor(
    private readonly deps: PackDeps,
    firstCount?: number,
  ) {
    this.firstCount = firstCount === undefined ? undefined : Math.max(1, Math.min(firstCount, MAX_EVENTS_PER_BATCH));
  }

  /** How many events from the start of `run` should fill a message, and whether the run ends short of one. */
  private fit(run: readonly PendingEvent[]): { count: number; short: boolean } {
    if (this.ratio === undefined && this.firstCount !== undefined)
      return { count: Math.min(this.firstCount, run.length), short: run.length < this.firstCount };
    const budget = TARGET / (this.ratio ?? FIRST_GUESS_RATIO);
    let bytes = 2;
    let count = 0;
    for (; count < Math.min(run.length, MAX_EVENTS_PER_BATCH); count++) {
      bytes += (run[count] as PendingEvent).body.length + 1;
      if (bytes > budget) return { count: Math.max(1, count), short: false };
    }
    return { count, short: count === run.length };
  }

  /** The message of `slice`, or undefined when it encodes above the limit. */
  private async encode(slice: readonly PendingEvent[]): Promise<PackedMessage | undefined> {
    const json = batchJson(this.deps, slice);
    const encoded = await encodeBatchJson(
      { branch: this.deps.till.branch, till: this.deps.till.till, events: slice.length },
      json,
      this.deps.signer,
      this.deps.primitives,
    );
    if (!encoded.ok) return undefined;
    this.ratio = encoded.value.length / json.length;
    return {
      firstSeq: (slice[0] as PendingEvent).seq,
      lastSeq: (slice.at(-1) as PendingEvent).seq,
      events: slice.length,
      sales: slice.filter((e) => e.type === 'sale.completed').length,
      text: encoded.value,
    };
  }

  /**
   * The messages of every event `read` gives, split where sequences have a
   * hole (a message covers a range without one). Up to `ahead` messages are
   * compressed at once, on libuv's threads, while the caller sends the ones
   * before; until the first message has shown how this outbox compresses,
   * one. A run that goes on into the next read is packed with it, so reads
   * leave no half-empty messages. When a message comes out too large, it and
   * those being packed after it are packed again, it with fewer events, one
   * at a time until one fits.
   */
  async *pack(read: EventRounds, ahead = 1): AsyncGenerator<PackedMessage, void> {
    /** Runs of consecutive sequences not yet packed, in order; only the last may go on in the next read. */
    const runs: PendingEvent[][] = [];
    let lastRead = false;
    let most = MAX_EVENTS_PER_BATCH;
    const take = (): PendingEvent[] | undefined => {
      for (;;) {
        const run = runs[0];
        if (run) {
          const fit = this.fit(run);
          if (!fit.short || runs.length > 1 || lastRead) {
            const slice = run.splice(0, Math.min(fit.count, most));
            most = MAX_EVENTS_PER_BATCH;
            if (run.length === 0) runs.shift();
            return slice;
          }
        }
        if (lastRead) return undefined;
        const round = read();
        lastRead = round.last;
        for (const e of round.events) {
          const tail = runs.at(-1);
          if (tail && (tail.at(-1) as PendingEvent).seq + 1 === e.seq) tail.push(e);
          else runs.push([e]);
        }
      }
    };
    /** Puts a slice back in front of what is left to pack. */
    const putBack = (slice: readonly PendingEvent[]) => {
      const run = runs[0];
      if (run && (slice.at(-1) as PendingEvent).seq + 1 === (run[0] as PendingEvent).seq) run.unshift(...slice);
      else runs.unshift([...slice]);
    };
    const inFlight: Encoding[] = [];
    /** After a message came out too large, one at a time until one fits again. */
    let refitting = false;
    for (;;) {
      while (inFlight.length < (this.ratio === undefined || refitting ? 1 : Math.max(1, ahead))) {
        const slice = take();
        if (!slice) break;
        const message = this.encode(slice);
        // A failure is thrown when its turn comes, or never if the caller stops first.
        message.catch(() => undefined);
        inFlight.push({ slice, message });
      }
      const next = inFlight.shift();
      if (!next) return;
      const message = await next.message;
      if (message) {
        refitting = false;
        yield message;
        continue;
      }
      const { slice } = next;
      if (slice.length === 1) {
        throw new Error(
          `outbox event ${slice[0]?.seq} alone encodes above ${MAX_QUEUE_MESSAGE_BYTES} bytes and cannot be sent`,
        );
      }
      // Far off only before the first message has shown how this outbox compresses.
      most = Math.max(1, Math.min(slice.length - 1, Math.floor(slice.length * (this.ratio === undefined ? 0.5 : 0.9))));
      for (const later of inFlight.splice(0).reverse()) putBack(later.slice);
      putBack(slice);
      refitting = true;
    }
  }
}

/**
 * Events read from the outbox per round: a few messages' worth, so that a
 * round's read (a few milliseconds) never holds up the sends for long.
 */
const ROUND = 500;

/**
 * The pending outbox after `afterSeq` up to `endSeq`, read round by round
 * and packed with up to `ahead` messages compressed at once.
 */
export function packOutbox(
  deps: PackDeps & { readonly db: ReadableDB },
  endSeq: number,
  {
    round = ROUND,
    ahead = 1,
    afterSeq: from = 0,
  }: { readonly round?: number; readonly ahead?: number; readonly afterSeq?: number } = {},
): AsyncGenerator<PackedMessage, void> {
  let afterSeq = from;
  return new Packer(deps).pack(() => {
    const events = pendingEventsBetween(deps.db, afterSeq, endSeq, round);
    afterSeq = events.at(-1)?.seq ?? afterSeq;
    return { events, last: events.length < round };
  }, ahead);
}

/** Packs the given outbox rows all at once, split at their holes. */
export async function packMessages(
  deps: PackDeps,
  rows: readonly OutboxRow[],
  firstCount?: number,
  ahead = 1,
): Promise<PackedMessage[]> {
  const events = rows.map((r) => ({ seq: r.seq, type: r.type, body: Buffer.from(r.body) }));
  const messages: PackedMessage[] = [];
  for await (const m of new Packer(deps, firstCount).pack(() => ({ events, last: true }), ahead)) messages.push(m);
  return messages;
}
