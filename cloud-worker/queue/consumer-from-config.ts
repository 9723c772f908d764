import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { QueueClient } from '@azure/storage-queue';
import type { Logger } from 'pino';
import { storageConfig, type CloudConfig } from '../config';
import type { Database } from '../db/database';
import { beat } from '../repositories/health-repository';
import { QueueConsumer, runConsumer } from './consume';
import { inlineDecoder, threadDecoder } from './decode-pool';
import { queueService, type ConfiguredQueueService } from './queue-service';

export interface ConfiguredConsumer {
  readonly service: ConfiguredQueueService;
  readonly queue: QueueClient;
  readonly poison: QueueClient;
  readonly consumer: QueueConsumer;
  /** Receives until `signal` aborts, with the configured concurrency and backoff. */
  run(signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** The queue, its poison queue (both made when missing) and a consumer on them, as configured. */
export async function consumerFromConfig(config: CloudConfig, db: Database, log: Logger): Promise<ConfiguredConsumer> {
  const decoder = config.HAAT_DECODE_THREADS > 0 ? threadDecoder(config.HAAT_DECODE_THREADS) : inlineDecoder;
  const service = await queueService(storageConfig(config));
  const queue = service.client.getQueueClient(config.HAAT_QUEUE);
  const poison = service.client.getQueueClient(`${config.HAAT_QUEUE}-poison`);
  const consumer = new QueueConsumer({
    db,
    queue,
    poison,
    log,
    visibilityTimeoutSeconds: config.HAAT_VISIBILITY_TIMEOUT,
    decoder,
  });
  await consumer.ensureQueues();
  return {
    service,
    queue,
    poison,
    consumer,
    async run(signal) {
      const heartbeat = startHeartbeat(db, log, signal);
      await runConsumer(consumer, signal, {
        maxIdleMs: config.HAAT_MAX_IDLE_MS,
        concurrency: config.HAAT_WORKER_CONCURRENCY,
        onReceive: (s) => heartbeat.count(s.ingested),
      });
      await heartbeat.stopped;
    },
    close: () => decoder.close(),
  };
}

const HEARTBEAT_MS = 15_000;

/**
 * Records in the database, every few seconds while the worker runs, that it
 * is alive and how much it has ingested: head office's health page counts the
 * workers seen in the last minute.
 */
export function startHeartbeat(db: Database, log: Logger, signal: AbortSignal, everyMs = HEARTBEAT_MS) {
  const id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  let ingested = 0;
  const once = () =>
    beat(db, { id, host: hostname(), pid: process.pid, ingested }).catch((err: unknown) =>
      log.warn({ err }, 'heartbeat failed'),
    );
  void once();
  const timer = setInterval(() => void once(), everyMs);
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      clearInterval(timer);
      resolve();
    };
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
  return { id, stopped, count: (n: number) => void (ingested += n) };
}
