import { QueueClient } from '@azure/storage-queue';
import type { IdFactory, TillId } from '../../shared/ids';
import type { QueueEncodePrimitives, QueueSigner } from '../../shared/wire/queue-message';
import { inUnsyncedTransaction, type WritableDB } from '../store/db';
import { lastOutboxSeq, markQueued } from '../store/outbox';
import { sendableSealed } from '../store/sealed';
import { classifyError } from './failure';
import { packOutbox, type PackedMessage } from './pack';

/** Sends one message to the branches' queue. */
export interface QueueSender {
  send(text: string): Promise<void>;
}

/**
 * The till's only way into the queue: a URL carrying an add-only SAS from
 * the latest pull. It can add messages and nothing else; Azure (and Azurite)
 * refuse it to read, peek, clear or delete.
 */
export function sasQueueSender(sasUrl: string, timeoutMs = 30_000): QueueSender {
  const client = new QueueClient(sasUrl, undefined, { retryOptions: { maxTries: 1, tryTimeoutInMs: timeoutMs } });
  return {
    async send(text) {
      // A time-to-live of -1: never expire. The default of seven days would
      // lose sales if head office's worker were down for a week.
      await client.sendMessage(text, { messageTimeToLive: -1 });
    },
  };
}

export interface PushDeps {
  readonly db: WritableDB;
  readonly till: TillId;
  readonly ids: IdFactory;
  readonly now: () => number;
  readonly signer: QueueSigner;
  readonly primitives: QueueEncodePrimitives;
  readonly sender: QueueSender;
  /** Messages in flight at once. */
  readonly concurrency?: number;
  readonly onProgress?: (p: { messages: number; events: number; sales: number }) => void;
}

export interface PushSummary {
  readonly messages: number;
  readonly events: number;
  readonly sales: number;
}

/**
 * Sends every pending outbox event (✔ not yet set) to the queue and marks
 * each message's range as queued only after the queue accepted it. A crash
 * between the two leaves the range pending, so it is sent again: harmless,
 * because the central side ingests by event id. Sales rung up while a push
 * runs go out in its next round, up to the outbox's end when it started.
 * Messages sealed while the till was offline (`sealOutbox`) go as they are.
 * Packing runs ahead of sending: up to `concurrency` messages are
 * compressed at once while the ones before them are on the wire.
 */
export async function pushOutbox(deps: PushDeps): Promise<PushSummary> {
  const concurrency = Math.max(1, deps.concurrency ?? 4);
  const endSeq = lastOutboxSeq(deps.db);
  const total = { messages: 0, events: 0, sales: 0 };
  const marks = queuedMarks(deps);
  try {
    await sendAll(deps, outgoing(deps, endSeq, concurrency), concurrency, (m) => {
      marks.accepted(m);
      total.messages += 1;
      total.events += m.events;
      total.sales += m.sales;
      deps.onProgress?.({ ...total });
    });
  } finally {
    marks.flush();
  }
  return total;
}

/**
 * The messages that carry every pending event up to `endSeq`, in sequence
 * order: those sealed while the till was offline, as they are, and the
 * events between and after them packed now.
 */
async function* outgoing(deps: PushDeps, endSeq: number, ahead: number): AsyncGenerator<PackedMessage, void> {
  let afterSeq = 0;
  for (const sealed of sendableSealed(deps.db, deps.signer.keyId, endSeq)) {
    yield* packOutbox(deps, sealed.firstSeq - 1, { afterSeq, ahead });
    yield sealed;
    afterSeq = sealed.lastSeq;
  }
  yield* packOutbox(deps, endSeq, { afterSeq, ahead });
}

/**
 * Marks accepted messages ✔ as soon as the sends have moved on: the commit
 * waits for the turn of the event loop after a message is accepted, so the
 * next send starts first, and it covers every message accepted meanwhile.
 * `flush` marks what is left (at the end of a push, and when it fails: what
 * the queue accepted is marked even then). The commit does not wait for the
 * disk: a power cut that loses a ✔ only means those events are sent again,
 * and the central side ingests by event id.
 */
function queuedMarks(deps: Pick<PushDeps, 'db' | 'now'>) {
  let accepted: PackedMessage[] = [];
  let scheduled: NodeJS.Immediate | null = null;
  let failure: unknown = null;
  const commit = () => {
    scheduled = null;
    const ranges = accepted;
    accepted = [];
    if (ranges.length === 0) return;
    const at = deps.now();
    inUnsyncedTransaction(deps.db, () => {
      for (const m of ranges) markQueued(deps.db, m.firstSeq, m.lastSeq, at);
    });
  };
  return {
    accepted(m: PackedMessage) {
      accepted.push(m);
      scheduled ??= setImmediate(() => {
        try {
          commit();
        } catch (e) {
          // Those messages stay pending and go again; the push reports the failure at its end.
          failure ??= e;
        }
      });
    },
    /** Marks what is left, then throws what an earlier mark failed with, if one did. */
    flush() {
      if (scheduled) clearImmediate(scheduled);
      commit();
      if (failure !== null) throw failure;
    },
  };
}

/**
 * Sends with at most `concurrency` in flight, asking for the next message
 * while it waits for a free place, so that packing overlaps the sends. On the
 * first failure no new send starts; those in flight finish (and are marked
 * if accepted), then the failure is thrown, classified.
 */
async function sendAll(
  deps: Pick<PushDeps, 'sender'>,
  messages: AsyncIterable<PackedMessage>,
  concurrency: number,
  accepted: (m: PackedMessage) => void,
): Promise<void> {
  let failure: unknown = null;
  const inFlight = new Set<Promise<void>>();
  const packed = messages[Symbol.asyncIterator]();
  try {
    let next = packed.next();
    for (;;) {
      const m = await next;
      if (m.done) break;
      next = packed.next();
      // A packing failure is thrown when its turn comes, or never if a send fails first.
      next.catch(() => undefined);
      while (inFlight.size >= concurrency && failure === null) await Promise.race(inFlight);
      if (failure !== null) break;
      const sending: Promise<void> = deps.sender
        .send(m.value.text)
        .then(
          () => accepted(m.value),
          (e: unknown) => {
            failure ??= e;
          },
        )
        .finally(() => inFlight.delete(sending));
      inFlight.add(sending);
    }
  } finally {
    // Also when packing failed: what is on the wire is waited for, and marked if accepted.
    await Promise.all(inFlight);
  }
  if (failure !== null) throw classifyError(failure);
}
