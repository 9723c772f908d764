import type { DequeuedMessageItem, QueueClient } from '@azure/storage-queue';
import type { Logger } from 'pino';
import type { Problem } from '../../shared/result';
import { readEnvelope, type QueueEnvelope } from '../../shared/wire/queue-message';
import { isDataError, withRetry, type Database } from '../db/database';
import { ingestBatches, type IngestSummary, type VerifiedBatch } from '../repositories/ingest-repository';
import { findTillKeys } from '../repositories/till-repository';
import { inlineDecoder, type DecodeJob, type Decoder } from './decode-pool';

/**
 * Drains the branches' queue into the central database:
 * receive up to 32 → verify each signature with the key of the till it names
 * → validate with the shared schemas → ingest every valid message of the
 * receive in one transaction → delete them. A message is deleted only after
 * its data is committed; a crash before that means a redelivery, which
 * changes nothing. A message that cannot be valid goes to the poison queue
 * and the rejected table at once; one that keeps failing for another reason
 * goes there after `maxDeliveries`.
 */
export interface ConsumerOptions {
  readonly db: Database;
  readonly queue: QueueClient;
  readonly poison: QueueClient;
  readonly log: Logger;
  /** Longer than the worst receive takes to ingest, so no other worker sees its messages meanwhile. */
  readonly visibilityTimeoutSeconds?: number;
  readonly maxDeliveries?: number;
  readonly receiveCount?: number;
  /** Where messages are opened; inline unless given worker threads. */
  readonly decoder?: Decoder;
}

export interface ReceiveSummary {
  readonly received: number;
  readonly ingested: number;
  readonly events: number;
  readonly rejected: number;
  /** Left in the queue to be tried again. */
  readonly retried: number;
}

interface IngestOutcome {
  ingested: number;
  events: number;
  retried: number;
  rejected: number;
}

interface Rejection {
  readonly message: DequeuedMessageItem;
  readonly sender: { branch: string; till: number } | undefined;
  readonly problem: Problem;
}

export class QueueConsumer {
  private readonly visibility: number;
  private readonly maxDeliveries: number;
  private readonly receiveCount: number;
  private readonly decoder: Decoder;

  get log(): Logger {
    return this.opts.log;
  }

  constructor(private readonly opts: ConsumerOptions) {
    this.visibility = opts.visibilityTimeoutSeconds ?? 300;
    this.maxDeliveries = opts.maxDeliveries ?? 5;
    this.receiveCount = opts.receiveCount ?? 32;
    this.decoder = opts.decoder ?? inlineDecoder;
  }

  async ensureQueues(): Promise<void> {
    await this.opts.queue.createIfNotExists();
    await this.opts.poison.createIfNotExists();
  }

  /** One receive, handled to the end. */
  async receiveOnce(): Promise<ReceiveSummary> {
    const { receivedMessageItems: messages } = await this.opts.queue.receiveMessages({
      numberOfMessages: this.receiveCount,
      visibilityTimeout: this.visibility,
    });
    if (messages.length === 0) return { received: 0, ingested: 0, events: 0, rejected: 0, retried: 0 };
    const receivedAt = performance.now();

    const rejections: Rejection[] = [];
    const envelopes: { message: DequeuedMessageItem; envelope: QueueEnvelope }[] = [];
    for (const message of messages) {
      if (message.dequeueCount > this.maxDeliveries) {
        rejections.push({
          message,
          sender: undefined,
          problem: {
            code: 'too-many-deliveries',
            field: '(root)',
            reason: `delivered ${message.dequeueCount} times without being ingested`,
          },
        });
        continue;
      }
      const envelope = readEnvelope(message.messageText);
      if (!envelope.ok) rejections.push({ message, sender: undefined, problem: envelope.error });
      else envelopes.push({ message, envelope: envelope.value });
    }

    const keys = await findTillKeys(
      this.opts.db,
      envelopes.map((o) => o.envelope.keyId),
    );
    const valid: (VerifiedBatch & { message: DequeuedMessageItem })[] = [];
    const toOpen: { message: DequeuedMessageItem; sender: { branch: string; till: number }; job: DecodeJob }[] = [];
    for (const { message, envelope } of envelopes) {
      const sender = { branch: envelope.branch, till: envelope.till };
      const key = keys.get(envelope.keyId);
      if (!key || key.branch !== envelope.branch || key.till !== envelope.till) {
        rejections.push({
          message,
          sender,
          problem: {
            code: 'unknown-key',
            field: 'envelope.keyId',
            reason: `till ${envelope.branch}-${envelope.till} has no key ${envelope.keyId}`,
          },
        });
        continue;
      }
      if (key.revoked) {
        rejections.push({
          message,
          sender,
          problem: {
            code: 'revoked-till',
            field: 'envelope.keyId',
            reason: `till ${envelope.branch}-${envelope.till} or its key ${envelope.keyId} is revoked`,
          },
        });
        continue;
      }
      toOpen.push({ message, sender, job: { envelope, publicKey: key.publicKey } });
    }
    const opened = await this.decoder.open(toOpen.map((o) => o.job));
    opened.forEach((batch, i) => {
      const { message, sender } = toOpen[i]!;
      if (!batch.ok) rejections.push({ message, sender, problem: batch.error });
      else valid.push({ message, messageId: message.messageId, batch: batch.value });
    });

    const decodeMs = Math.round(performance.now() - receivedAt);
    const outcome = await this.ingest(valid, decodeMs);
    await this.reject(rejections);
    return { received: messages.length, ...outcome, rejected: rejections.length + outcome.rejected };
  }

  private async ingest(
    valid: readonly (VerifiedBatch & { message: DequeuedMessageItem })[],
    decodeMs = 0,
  ): Promise<IngestOutcome> {
    if (valid.length === 0) return { ingested: 0, events: 0, retried: 0, rejected: 0 };
    const dbStart = performance.now();
    let summary: IngestSummary;
    try {
      summary = await withRetry(this.opts.db, (tx) => ingestBatches(tx, valid));
    } catch (error) {
      if (!isDataError(error)) return this.keepForRetry(valid, error);
      const [only] = valid;
      if (valid.length === 1 && only) {
        // Alone in its transaction and refused for its data: it will be
        // refused the same way every time, so it goes to poison now.
        await this.reject([
          {
            message: only.message,
            sender: { branch: only.batch.branch, till: only.batch.till },
            problem: { code: 'rejected-by-database', field: '(root)', reason: (error as Error).message },
          },
        ]);
        return { ingested: 0, events: 0, retried: 0, rejected: 1 };
      }
      // One message's data broke the shared transaction: ingest each on its
      // own, so that the rest go in and the culprit is found.
      this.opts.log.warn({ err: error, messages: valid.length }, 'receive failed as a whole; ingesting one by one');
      const total = { ingested: 0, events: 0, retried: 0, rejected: 0 };
      for (const v of valid) {
        const one = await this.ingest([v]);
        total.ingested += one.ingested;
        total.events += one.events;
        total.retried += one.retried;
        total.rejected += one.rejected;
      }
      return total;
    }
    // Committed: only now may the messages go. A failed delete means a
    // redelivery, which changes nothing.
    const deleteStart = performance.now();
    await this.deleteAll(valid.map((v) => v.message));
    this.opts.log.info(
      {
        messages: valid.length,
        events: summary.events,
        newEvents: summary.newEvents,
        decodeMs,
        dbMs: Math.round(deleteStart - dbStart),
        deleteMs: Math.round(performance.now() - deleteStart),
      },
      'ingested a receive',
    );
    return { ingested: valid.length, events: summary.events, retried: 0, rejected: 0 };
  }

  private keepForRetry(
    valid: readonly (VerifiedBatch & { message: DequeuedMessageItem })[],
    error: unknown,
  ): IngestOutcome {
    this.opts.log.error(
      {
        err: error,
        messages: valid.map((v) => v.message.messageId),
        deliveries: valid.map((v) => v.message.dequeueCount),
      },
      'ingest failed; messages stay in the queue',
    );
    return { ingested: 0, events: 0, retried: valid.length, rejected: 0 };
  }

  /**
   * Records why, sends a copy to the poison queue, then deletes the original:
   * in that order, so that a crash in between repeats a step rather than
   * losing the message.
   */
  private async reject(rejections: readonly Rejection[]): Promise<void> {
    if (rejections.length === 0) return;
    await this.opts.db.query(
      `INSERT INTO rejected_messages (message_id, queue, branch, till_no, code, field, reason, dequeue_count, message_text)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::int[], $9::text[])
       ON CONFLICT DO NOTHING`,
      [
        rejections.map((r) => r.message.messageId),
        rejections.map(() => this.opts.queue.name),
        rejections.map((r) => r.sender?.branch ?? null),
        rejections.map((r) => r.sender?.till ?? null),
        rejections.map((r) => r.problem.code),
        rejections.map((r) => r.problem.field),
        rejections.map((r) => r.problem.reason),
        rejections.map((r) => r.message.dequeueCount),
        rejections.map((r) => r.message.messageText),
      ],
    );
    for (const r of rejections) {
      this.opts.log.warn(
        { messageId: r.message.messageId, sender: r.sender, ...r.problem },
        'rejected a message to the poison queue',
      );
      await this.opts.poison.sendMessage(r.message.messageText, { messageTimeToLive: -1 });
    }
    await this.deleteAll(rejections.map((r) => r.message));
  }

  private async deleteAll(messages: readonly DequeuedMessageItem[]): Promise<void> {
    await Promise.all(
      messages.map(async (m) => {
        try {
          await this.opts.queue.deleteMessage(m.messageId, m.popReceipt);
        } catch (error) {
          // The visibility timeout ran out and another worker holds it now;
          // it will ingest it again, which changes nothing.
          if ((error as { statusCode?: number }).statusCode !== 404) throw error;
          this.opts.log.warn({ messageId: m.messageId }, 'message was taken over before its delete');
        }
      }),
    );
  }
}

export interface PollOptions {
  /** Receives in flight at once: one decodes while another writes. */
  readonly concurrency?: number;
  readonly minIdleMs?: number;
  readonly maxIdleMs?: number;
  readonly onReceive?: (summary: ReceiveSummary) => void;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Receives until `signal` aborts; the receive in hand is finished first. An
 * empty queue is polled with doubling waits (every call is billed in Azure),
 * and so is a failing database.
 */
export async function runConsumer(consumer: QueueConsumer, signal: AbortSignal, opts: PollOptions = {}): Promise<void> {
  const loops = Array.from({ length: Math.max(1, opts.concurrency ?? 1) }, () => pollLoop(consumer, signal, opts));
  await Promise.all(loops);
}

async function pollLoop(consumer: QueueConsumer, signal: AbortSignal, opts: PollOptions): Promise<void> {
  const minIdle = opts.minIdleMs ?? 250;
  const maxIdle = opts.maxIdleMs ?? 15_000;
  let idle = minIdle;
  while (!signal.aborted) {
    let summary: ReceiveSummary | undefined;
    try {
      summary = await consumer.receiveOnce();
      opts.onReceive?.(summary);
    } catch (error) {
      consumer.log.error({ err: error }, 'receive failed; backing off');
    }
    if (summary && summary.received > 0 && summary.retried === 0) {
      idle = minIdle;
      continue;
    }
    await sleep(idle, signal);
    idle = Math.min(maxIdle, idle * 2);
  }
}
