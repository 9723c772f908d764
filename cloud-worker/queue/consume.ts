import type { DequeuedMessageItem, QueueClient } from '@azure/storage-queue';
import type { Logger } from 'pino';
import type { Problem } from '../../shared/result';
import { readEnvelope, type QueueEnvelope } from '../../shared/wire/queue-message';
import { isConnectionLost, isDataError, withRetry, type Database } from '../db/database';
import { headerOf, ingestBatches, type IngestInput, type IngestSummary } from '../repositories/ingest-repository';
import { findTillKeys } from '../repositories/till-repository';
import { inlineDecoder, reopenJob, type DecodeJob, type Decoder } from './decode-pool';
import { nodeQueuePrimitives } from './node-primitives';
import { sleep } from '../sleep';

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
  /**
   * When the database was lost while a receive was in hand: how long its
   * messages wait before they may be received again, instead of the whole
   * visibility timeout.
   */
  readonly retryAfterSeconds?: number;
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

/** Copies sent to the poison queue at once. */
const POISON_SENDS_AT_ONCE = 8;

const EMPTY_RECEIVE: ReceiveSummary = { received: 0, ingested: 0, events: 0, rejected: 0, retried: 0 };

type ReceivedBatch = IngestInput & { readonly message: DequeuedMessageItem };

/** A receive opened but not yet written: its valid batches, and why each other message is refused. */
export interface OpenedReceive {
  readonly received: number;
  readonly valid: readonly ReceivedBatch[];
  readonly rejections: readonly Rejection[];
  readonly decodeMs: number;
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
  private readonly retryAfter: number;
  private readonly decoder: Decoder;
  /** Deletes of committed messages still under way. */
  private readonly deleting = new Set<Promise<void>>();

  get log(): Logger {
    return this.opts.log;
  }

  constructor(private readonly opts: ConsumerOptions) {
    this.visibility = opts.visibilityTimeoutSeconds ?? 300;
    this.maxDeliveries = opts.maxDeliveries ?? 5;
    this.receiveCount = opts.receiveCount ?? 32;
    this.retryAfter = Math.min(this.visibility, opts.retryAfterSeconds ?? 15);
    this.decoder = opts.decoder ?? inlineDecoder;
  }

  async ensureQueues(): Promise<void> {
    await this.opts.queue.createIfNotExists();
    await this.opts.poison.createIfNotExists();
  }

  /** One receive, handled to the end. */
  async receiveOnce(): Promise<ReceiveSummary> {
    const opened = await this.take();
    return opened.received === 0 ? EMPTY_RECEIVE : this.settle([opened]);
  }

  /**
   * Receives and opens messages: which are valid and what each of the
   * others is rejected for. Nothing is written or deleted yet.
   */
  async take(): Promise<OpenedReceive> {
    return this.open(await this.fetch());
  }

  /** Receives up to `receiveCount` messages, hidden from other workers for the visibility timeout. */
  async fetch(): Promise<DequeuedMessageItem[]> {
    const { receivedMessageItems } = await this.opts.queue.receiveMessages({
      numberOfMessages: this.receiveCount,
      visibilityTimeout: this.visibility,
    });
    return receivedMessageItems;
  }

  /** Opens received messages: see `take`. */
  async open(messages: readonly DequeuedMessageItem[]): Promise<OpenedReceive> {
    if (messages.length === 0) return { received: 0, valid: [], rejections: [], decodeMs: 0 };
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
      const envelope = readEnvelope(message.messageText, nodeQueuePrimitives);
      if (!envelope.ok) rejections.push({ message, sender: undefined, problem: envelope.error });
      else envelopes.push({ message, envelope: envelope.value });
    }

    const keys = await findTillKeys(
      this.opts.db,
      envelopes.map((o) => o.envelope.keyId),
    );
    const valid: ReceivedBatch[] = [];
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
    // On PostgreSQL each message becomes COPY rows as it is opened; PGlite
    // has no COPY and takes the batches themselves.
    const opened = await this.decoder.open(
      toOpen.map((o) => o.job),
      this.opts.db.kind === 'postgres',
    );
    opened.forEach((result, i) => {
      const { message, sender, job } = toOpen[i]!;
      if (!result.ok) rejections.push({ message, sender, problem: result.error });
      else if ('batch' in result.value)
        valid.push({ message, messageId: message.messageId, batch: result.value.batch });
      else valid.push({ message, messageId: message.messageId, ...result.value, reopen: () => reopenJob(job) });
    });

    return { received: messages.length, valid, rejections, decodeMs: Math.round(performance.now() - receivedAt) };
  }

  /**
   * Ingests the valid messages of these receives in one transaction, deletes
   * them once it has committed, and sends the rest to poison. With
   * `awaitDeletes` false it returns at the commit, and the deletes go on
   * (see `deletesInFlight`): the next transaction need not wait for them.
   */
  async settle(receives: readonly OpenedReceive[], awaitDeletes = true): Promise<ReceiveSummary> {
    const valid = receives.flatMap((r) => r.valid);
    const rejections = receives.flatMap((r) => r.rejections);
    const decodeMs = receives.reduce((sum, r) => sum + r.decodeMs, 0);
    const outcome = await this.ingest(valid, decodeMs);
    await this.reject(rejections);
    if (awaitDeletes) await this.deletesInFlight();
    const received = receives.reduce((sum, r) => sum + r.received, 0);
    return { received, ...outcome, rejected: rejections.length + outcome.rejected };
  }

  private async ingest(valid: readonly ReceivedBatch[], decodeMs = 0): Promise<IngestOutcome> {
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
            sender: { branch: headerOf(only).branch, till: headerOf(only).till },
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
    const deleting = this.deleteAll(valid.map((v) => v.message)).then(
      () =>
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
        ),
      (error: unknown) =>
        this.opts.log.error(
          { err: error, messages: valid.length },
          'deleting ingested messages failed; they come back',
        ),
    );
    this.deleting.add(deleting);
    void deleting.finally(() => this.deleting.delete(deleting));
    return { ingested: valid.length, events: summary.events, retried: 0, rejected: 0 };
  }

  /** Resolves when the deletes started so far are done. */
  async deletesInFlight(): Promise<void> {
    await Promise.all(this.deleting);
  }

  private async keepForRetry(valid: readonly ReceivedBatch[], error: unknown): Promise<IngestOutcome> {
    this.opts.log.error(
      {
        err: error,
        messages: valid.map((v) => v.message.messageId),
        deliveries: valid.map((v) => v.message.dequeueCount),
      },
      'ingest failed; messages stay in the queue',
    );
    if (isConnectionLost(error)) await this.release(valid.map((v) => v.message));
    return { ingested: 0, events: 0, retried: valid.length, rejected: 0 };
  }

  /**
   * Lets messages in hand be received again after `retryAfterSeconds`
   * rather than the whole visibility timeout: for a receive that could not
   * be written because the database was lost, so that a restart or a
   * failover holds the sales back by seconds, not minutes. (An error the
   * database answered with keeps them for the visibility timeout: each
   * delivery counts towards poison.) A message whose release fails comes
   * back at its timeout all the same.
   */
  async release(messages: readonly DequeuedMessageItem[]): Promise<void> {
    await Promise.all(
      messages.map(async (m) => {
        try {
          await this.opts.queue.updateMessage(m.messageId, m.popReceipt, undefined, this.retryAfter);
        } catch (error) {
          this.opts.log.warn({ err: error, messageId: m.messageId }, 'releasing a message failed; it comes back later');
        }
      }),
    );
  }

  /** Whether the database answers: a worker that lost it receives again only then. */
  async databaseAnswers(): Promise<boolean> {
    try {
      await this.opts.db.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
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
    }
    // A few copies at a time rather than one by one: a flood of bad
    // messages must not hold up the good ones received beside them.
    for (let i = 0; i < rejections.length; i += POISON_SENDS_AT_ONCE) {
      await Promise.all(
        rejections
          .slice(i, i + POISON_SENDS_AT_ONCE)
          .map((r) => this.opts.poison.sendMessage(r.message.messageText, { messageTimeToLive: -1 })),
      );
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
  /**
   * Receives in hand at once: one is written while the next ones are
   * received and opened, and the writer takes every receive that is ready
   * into its transaction.
   */
  readonly concurrency?: number;
  readonly minIdleMs?: number;
  readonly maxIdleMs?: number;
  readonly onReceive?: (summary: ReceiveSummary) => void;
}

/** Wakes whoever waits for the pipeline's state to change. */
class Changes {
  private waiters: (() => void)[] = [];
  next(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  notify(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
  }
}

/**
 * Receives until `signal` aborts, as a pipeline: while one transaction
 * writes (the database's CPU), the next receives are fetched and opened
 * (the worker's), so neither waits for the other. Every receive in hand is
 * finished before it returns. An empty queue is polled with doubling waits
 * (every call is billed in Azure), and so is a failing database.
 */
export async function runConsumer(consumer: QueueConsumer, signal: AbortSignal, opts: PollOptions = {}): Promise<void> {
  const depth = Math.max(1, opts.concurrency ?? 1);
  const minIdle = opts.minIdleMs ?? 250;
  const maxIdle = opts.maxIdleMs ?? 15_000;
  const changes = new Changes();
  const ready: OpenedReceive[] = [];
  let inHand = 0;
  let receiving = true;
  let failing = false;

  // The next receive's call is made while this one is opened: the queue
  // service answers while the worker works.
  let prefetch: Promise<DequeuedMessageItem[]> | undefined;
  const fetchNext = () => {
    const next = consumer.fetch();
    // A failure is seen where it is awaited, and not asked again.
    next.catch(() => {
      if (prefetch === next) prefetch = undefined;
    });
    return next;
  };
  const receiver = async () => {
    let idle = minIdle;
    while (!signal.aborted) {
      if (inHand >= depth) {
        await changes.next();
        continue;
      }
      if (failing) {
        failing = false;
        await sleep(idle, signal);
        idle = Math.min(maxIdle, idle * 2);
        // Every receive counts towards a message's deliveries: none until
        // the database answers again.
        if (!signal.aborted && !(await consumer.databaseAnswers())) failing = true;
        continue;
      }
      inHand += 1;
      let opened: OpenedReceive | undefined;
      let messages: DequeuedMessageItem[] | undefined;
      try {
        messages = await (prefetch ?? fetchNext());
        prefetch = messages.length > 0 && !signal.aborted ? fetchNext() : undefined;
        opened = await consumer.open(messages);
      } catch (error) {
        consumer.log.error({ err: error }, 'receive failed; backing off');
        // Opening reads the tills' keys: with the database lost, the
        // messages go back for a moment, not for the visibility timeout.
        if (isConnectionLost(error)) {
          if (messages) await consumer.release(messages);
          inHand -= 1;
          failing = true;
          continue;
        }
      }
      if (opened && opened.received > 0) {
        ready.push(opened);
        changes.notify();
        idle = minIdle;
        continue;
      }
      inHand -= 1;
      if (opened) opts.onReceive?.(EMPTY_RECEIVE);
      await sleep(idle, signal);
      idle = Math.min(maxIdle, idle * 2);
    }
    // Messages received ahead are in hand too: hidden from other workers,
    // they are written before the worker stops.
    try {
      const last = await prefetch;
      if (last && last.length > 0) {
        inHand += 1;
        ready.push(await consumer.open(last));
      }
    } catch (error) {
      // They come back after the visibility timeout.
      consumer.log.error({ err: error }, 'opening the messages received ahead failed');
    }
    receiving = false;
    changes.notify();
  };

  const writer = async () => {
    while (receiving || ready.length > 0) {
      if (ready.length === 0) {
        await changes.next();
        continue;
      }
      const taken = ready.splice(0, ready.length);
      try {
        // The deletes of this commit go on while the next receive is
        // written; those of the commit before must be done by then, so at
        // most two receives' deletes are ever under way.
        const before = consumer.deletesInFlight();
        const summary = await consumer.settle(taken, false);
        await before;
        opts.onReceive?.(summary);
        if (summary.retried > 0) failing = true;
      } catch (error) {
        // Whatever was not deleted comes back after the visibility timeout.
        consumer.log.error({ err: error }, 'settling a receive failed; backing off');
        failing = true;
      }
      inHand -= taken.length;
      changes.notify();
    }
    await consumer.deletesInFlight();
  };

  await Promise.all([receiver(), writer()]);
}
