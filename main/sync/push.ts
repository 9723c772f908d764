import { QueueClient } from '@azure/storage-queue';
import type { IdFactory, TillId } from '../../shared/ids';
import type { QueueEncodePrimitives, QueueSigner } from '../../shared/wire/queue-message';
import { inTransaction, type WritableDB } from '../store/db';
import { markQueued, pendingEvents } from '../store/outbox';
import { classifyError } from './failure';
import { packMessages, type PackedMessage } from './pack';

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

/** Events read from the outbox per round; each round is packed, then sent. */
const ROUND = 5_000;

/**
 * Sends every pending outbox event (✔ not yet set) to the queue and marks
 * each message's range as queued only after the queue accepted it. A crash
 * between the two leaves the range pending, so it is sent again: harmless,
 * because the central side ingests by event id. Sales rung up while a push
 * runs go out in its next round, up to the outbox's end when it started.
 */
export async function pushOutbox(deps: PushDeps): Promise<PushSummary> {
  const concurrency = Math.max(1, deps.concurrency ?? 4);
  const endSeq = (deps.db.prepare("SELECT last FROM counters WHERE name = 'outbox'").get() as { last: number }).last;
  const total = { messages: 0, events: 0, sales: 0 };
  let lastSeenSeq = 0;
  for (;;) {
    const rows = pendingEvents(deps.db, ROUND).filter((r) => r.seq <= endSeq && r.seq > lastSeenSeq);
    if (rows.length === 0) return total;
    lastSeenSeq = rows.at(-1)?.seq ?? lastSeenSeq;
    const messages = await packMessages(deps, rows);
    await sendAll(deps, messages, concurrency, (m) => {
      inTransaction(deps.db, () => markQueued(deps.db, m.firstSeq, m.lastSeq, deps.now()));
      total.messages += 1;
      total.events += m.events;
      total.sales += m.sales;
      deps.onProgress?.({ ...total });
    });
  }
}

/**
 * Sends with at most `concurrency` in flight. On the first failure no new
 * send starts; those in flight finish (and are marked if accepted), then the
 * failure is thrown, classified.
 */
async function sendAll(
  deps: Pick<PushDeps, 'sender'>,
  messages: readonly PackedMessage[],
  concurrency: number,
  accepted: (m: PackedMessage) => void,
): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  const lane = async () => {
    while (failure === null && next < messages.length) {
      const m = messages[next++];
      if (!m) break;
      try {
        await deps.sender.send(m.text);
        accepted(m);
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, messages.length) }, lane));
  if (failure !== null) throw classifyError(failure);
}
