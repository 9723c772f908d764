import { assert } from '../../shared/assert';
import type { IdFactory, TillId } from '../../shared/ids';
import { MAX_EVENTS_PER_BATCH, SALES_BATCH_TYPE, type SalesBatch } from '../../shared/wire/batch';
import type { TillEvent } from '../../shared/wire/events';
import {
  encodeQueueMessage,
  MAX_QUEUE_MESSAGE_BYTES,
  type QueueEncodePrimitives,
  type QueueSigner,
} from '../../shared/wire/queue-message';
import type { OutboxRow } from '../store/outbox';

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
export function contiguousRuns(rows: readonly OutboxRow[]): OutboxRow[][] {
  const runs: OutboxRow[][] = [];
  for (const row of rows) {
    const run = runs.at(-1);
    const last = run?.at(-1);
    if (run && last && row.seq === last.seq + 1) run.push(row);
    else runs.push([row]);
  }
  return runs;
}

/** Aim a little under the limit so that the next guess rarely overshoots. */
const TARGET = Math.floor(MAX_QUEUE_MESSAGE_BYTES * 0.92);

/**
 * Packs outbox rows into signed, compressed queue messages of at most 60,000
 * bytes each, as many events per message as fit (fewer calls, each billed).
 * The number of events per message adapts to how well the last one
 * compressed; an attempt that comes out too large is retried smaller.
 */
export async function packMessages(
  deps: PackDeps,
  rows: readonly OutboxRow[],
  initialGuess = 100,
): Promise<PackedMessage[]> {
  const messages: PackedMessage[] = [];
  let guess = Math.max(1, Math.min(initialGuess, MAX_EVENTS_PER_BATCH));
  for (const run of contiguousRuns(rows)) {
    const events = run.map((r) => JSON.parse(r.body) as TillEvent);
    let start = 0;
    while (start < events.length) {
      let count = Math.min(guess, events.length - start);
      for (;;) {
        const slice = events.slice(start, start + count);
        const first = slice[0];
        const last = slice.at(-1);
        assert(first && last, 'a slice has events');
        const batch: SalesBatch = {
          type: SALES_BATCH_TYPE,
          v: 1,
          id: deps.ids.batch(),
          branch: deps.till.branch,
          till: deps.till.till,
          firstSeq: first.seq,
          lastSeq: last.seq,
          deviceTime: deps.now(),
          events: slice,
        };
        const encoded = await encodeQueueMessage(batch, deps.signer, deps.primitives);
        if (encoded.ok) {
          const size = encoded.value.length;
          messages.push({
            firstSeq: first.seq,
            lastSeq: last.seq,
            events: count,
            sales: slice.filter((e) => e.type === 'sale.completed').length,
            text: encoded.value,
          });
          // Next time, scale the count by how full this message came out.
          guess = Math.max(1, Math.min(MAX_EVENTS_PER_BATCH, Math.floor((count * TARGET) / Math.max(size, 1))));
          start += count;
          break;
        }
        if (count === 1) {
          throw new Error(
            `outbox event ${first.seq} alone encodes above ${MAX_QUEUE_MESSAGE_BYTES} bytes and cannot be sent`,
          );
        }
        count = Math.max(1, Math.min(count - 1, Math.floor(count * 0.8)));
      }
    }
  }
  return messages;
}
