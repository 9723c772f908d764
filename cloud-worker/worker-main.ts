/**
 * The queue worker as a process of its own: `tsx cloud-worker/worker-main.ts`.
 * Several can run on one queue and one PostgreSQL server. SIGTERM or SIGINT
 * lets the receives in hand finish, then the process exits cleanly. Started
 * while PostgreSQL cannot be reached, it waits for it.
 */
import { pino } from 'pino';
import { databaseConfig, loadConfig } from './config';
import { openDatabaseWhenReachable } from './db/open';
import { consumerFromConfig } from './queue/consumer-from-config';

async function main() {
  const config = loadConfig();
  const log = pino({ level: config.HAAT_LOG_LEVEL, base: { role: 'worker', pid: process.pid } });
  const stop = new AbortController();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'stopping after the receives in hand');
      stop.abort();
    });
  }
  // A worker started before its database, or during a restart, waits for it.
  const db = await openDatabaseWhenReachable(databaseConfig(config), {
    signal: stop.signal,
    onWait: (err, retryInMs) => log.warn({ err, retryInMs }, 'the database cannot be reached; waiting for it'),
  }).catch((error: unknown) => {
    if (stop.signal.aborted) return undefined;
    throw error;
  });
  if (!db) {
    log.info('stopped before the database answered');
    return;
  }
  const worker = await consumerFromConfig(config, db, log);
  log.info({ queue: config.HAAT_QUEUE, database: db.kind }, 'worker started');
  await worker.run(stop.signal);
  await worker.close();
  await db.close();
  log.info('worker stopped');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
