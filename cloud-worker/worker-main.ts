/**
 * The queue worker as a process of its own: `tsx cloud-worker/worker-main.ts`.
 * Several can run on one queue and one PostgreSQL server. SIGTERM or SIGINT
 * lets the receive in hand finish, then the process exits cleanly.
 */
import { QueueServiceClient } from '@azure/storage-queue';
import { pino } from 'pino';
import { databaseConfig, loadConfig } from './config';
import { openDatabase } from './db/open';
import { QueueConsumer, runConsumer } from './queue/consume';
import { inlineDecoder, threadDecoder } from './queue/decode-pool';

async function main() {
  const config = loadConfig();
  const log = pino({ level: config.HAAT_LOG_LEVEL, base: { role: 'worker', pid: process.pid } });
  const db = await openDatabase(databaseConfig(config));
  const decoder = config.HAAT_DECODE_THREADS > 0 ? threadDecoder(config.HAAT_DECODE_THREADS) : inlineDecoder;
  const service = QueueServiceClient.fromConnectionString(config.AZURE_STORAGE_CONNECTION_STRING);
  const consumer = new QueueConsumer({
    db,
    queue: service.getQueueClient(config.HAAT_QUEUE),
    poison: service.getQueueClient(`${config.HAAT_QUEUE}-poison`),
    log,
    visibilityTimeoutSeconds: config.HAAT_VISIBILITY_TIMEOUT,
    decoder,
  });
  await consumer.ensureQueues();
  const stop = new AbortController();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'stopping after the current receive');
      stop.abort();
    });
  }
  log.info({ queue: config.HAAT_QUEUE, database: db.kind }, 'worker started');
  await runConsumer(consumer, stop.signal, {
    maxIdleMs: config.HAAT_MAX_IDLE_MS,
    concurrency: config.HAAT_WORKER_CONCURRENCY,
  });
  await decoder.close();
  await db.close();
  log.info('worker stopped');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
