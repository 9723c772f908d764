import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import type { Logger } from 'pino';
import type { CloudConfig } from '../config';
import type { Database } from '../db/database';
import { QueueConsumer, runConsumer } from './consume';
import { inlineDecoder, threadDecoder } from './decode-pool';

export interface ConfiguredConsumer {
  readonly queue: QueueClient;
  readonly consumer: QueueConsumer;
  /** Receives until `signal` aborts, with the configured concurrency and backoff. */
  run(signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** The queue, its poison queue (both made when missing) and a consumer on them, as configured. */
export async function consumerFromConfig(config: CloudConfig, db: Database, log: Logger): Promise<ConfiguredConsumer> {
  const decoder = config.HAAT_DECODE_THREADS > 0 ? threadDecoder(config.HAAT_DECODE_THREADS) : inlineDecoder;
  const service = QueueServiceClient.fromConnectionString(config.AZURE_STORAGE_CONNECTION_STRING);
  const queue = service.getQueueClient(config.HAAT_QUEUE);
  const consumer = new QueueConsumer({
    db,
    queue,
    poison: service.getQueueClient(`${config.HAAT_QUEUE}-poison`),
    log,
    visibilityTimeoutSeconds: config.HAAT_VISIBILITY_TIMEOUT,
    decoder,
  });
  await consumer.ensureQueues();
  return {
    queue,
    consumer,
    run: (signal) =>
      runConsumer(consumer, signal, {
        maxIdleMs: config.HAAT_MAX_IDLE_MS,
        concurrency: config.HAAT_WORKER_CONCURRENCY,
      }),
    close: () => decoder.close(),
  };
}
