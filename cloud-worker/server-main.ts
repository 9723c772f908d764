/**
 * The cloud side in one process: the HTTP API and, unless HAAT_ROLE=api, a
 * queue worker beside it. That is the local default, because PGlite can be
 * opened by one process only. In production (DATABASE_URL set) run the API
 * with HAAT_ROLE=api and as many `worker-main.ts` processes as the queue needs.
 */
import { pino } from 'pino';
import { buildApp } from './app';
import { databaseConfig, loadConfig, storageConfig } from './config';
import { openDatabaseWhenReachable } from './db/open';
import { BranchSas } from './queue/branch-sas';
import { consumerFromConfig } from './queue/consumer-from-config';
import { runRollupRefresher } from './reports/rollups';

async function main() {
  const config = loadConfig();
  const role = process.env.HAAT_ROLE === 'api' ? 'api' : 'all';
  const log = pino({ level: config.HAAT_LOG_LEVEL, base: { role, pid: process.pid } });
  // Started before its database, or during a restart, it waits for it (SIGTERM meanwhile ends it at once).
  const db = await openDatabaseWhenReachable(databaseConfig(config), {
    onWait: (err, retryInMs) => log.warn({ err, retryInMs }, 'the database cannot be reached; waiting for it'),
  });
  const worker = await consumerFromConfig(config, db, log);
  const publicApiUrl = config.HAAT_PUBLIC_API_URL ?? `http://${config.HAAT_API_HOST}:${config.HAAT_API_PORT}`;
  const app = await buildApp({
    db,
    sas: new BranchSas(worker.queue, { signing: worker.service.sasSigning, service: worker.service.client }),
    log,
    publicApiUrl,
    queues: { main: worker.queue, poison: worker.poison },
    trustProxy: config.HAAT_TRUST_PROXY,
  });
  await app.listen({ host: config.HAAT_API_HOST, port: config.HAAT_API_PORT });
  log.info({ storage: storageConfig(config).kind }, 'api started');

  const stop = new AbortController();
  const working = role === 'all' ? worker.run(stop.signal) : Promise.resolve();
  const refreshing = runRollupRefresher(db, stop.signal, {
    onError: (err) => log.warn({ err }, 'report rollup refresh failed'),
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'stopping');
      stop.abort();
    });
  }
  await new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true }));
  await app.close();
  await working;
  await refreshing;
  await worker.close();
  await db.close();
  log.info('stopped');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
