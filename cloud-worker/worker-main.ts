/**
 * The queue worker as a process of its own: `tsx cloud-worker/worker-main.ts`.
 * Several can run on one queue and one PostgreSQL server. SIGTERM or SIGINT
 * lets the receives in hand finish, then the process exits cleanly.
 */
import { pino } from 'pino';
import { databaseConfig, loadConfig } from './config';
import { openDatabase } from './db/open';
import { consumerFromConfig } from './queue/consumer-from-config';

async function main() {
  const config = loadConfig();
  const log = pino({ level: config.HAAT_LOG_LEVEL, base: { role: 'worker', pid: process.pid } });
  const db = await openDatabase(databaseConfig(config));
  const worker = await consumerFromConfig(config, db, log);
  const stop = new AbortController();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'stopping after the receives in hand');
      stop.abort();
    });
  }
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
