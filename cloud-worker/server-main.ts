/**
 * The cloud side in one process: the HTTP API and, unless HAAT_ROLE=api, a
 * queue worker beside it. That is the local default, because PGlite can be
 * opened by one process only. In production (DATABASE_URL set) run the API
 * with HAAT_ROLE=api and as many `worker-main.ts` processes as the queue needs.
 */
import { QueueServiceClient } from '@azure/storage-queue';
import { pino } from 'pino';
import { buildApp } from './app';
import { databaseConfig, loadConfig } from './config';
import { openDatabase } from './db/open';
import { BranchSas } from './queue/branch-sas';
import { QueueConsumer, runConsumer } from './queue/consume';
import { inlineDecoder, threadDecoder } from './queue/decode-pool';

async function main() {
  const config = loadConfig();
  const role = process.env.HAAT_ROLE === 'api' ? 'api' : 'all';
  const log = pino({ level: config.HAAT_LOG_LEVEL, base: { role, pid: process.pid } });
  const db = await openDatabase(databaseConfig(config));
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
  const publicApiUrl = config.HAAT_PUBLIC_API_URL ?? `http://${config.HAAT_API_HOST}:${config.HAAT_API_PORT}`;
  const app = await buildApp({ db, sas: new BranchSas(queue), log, publicApiUrl });
  await app.listen({ host: config.HAAT_API_HOST, port: config.HAAT_API_PORT });

  const stop = new AbortController();
  const worker =
    role === 'all'
      ? runConsumer(consumer, stop.signal, {
          maxIdleMs: config.HAAT_MAX_IDLE_MS,
          concurrency: config.HAAT_WORKER_CONCURRENCY,
        })
      : null;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'stopping');
      stop.abort();
    });
  }
  await new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true }));
  await app.close();
  await worker;
  await decoder.close();
  await db.close();
  log.info('stopped');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
