/**
 * Runs a till as an HTTP host so that its screens work in a browser:
 * `npm run till` (builds the screens, then starts this). Options:
 *   --data DIR        the till's data folder, as `npm run provision` and `npm run sync` use it
 *                     (default HAAT_TILL_DIR, else .data/till): its till.sqlite, and its
 *                     credentials.json, with which the host runs the sync timer
 *   --db PATH         a till database outside a data folder instead (it cannot sync)
 *   --host ADDR       where to listen (default 127.0.0.1; another address lets a second till's browser in)
 *   --port N          default 4310
 *   --branch CODE --till N   provision a new database as this till
 *   --demo            a new database without --branch becomes the demo shop DHK01 till 1
 *                     (cashier PIN 1234, manager PIN 9876); `npm run till` passes it
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { tillPaths } from '../sync/provision';
import { openTillApp } from './till-app';
import { TillNotProvisionedError } from './till-file';
import { startTillHost } from './till-host';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      db: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '4310' },
      branch: { type: 'string' },
      till: { type: 'string' },
      demo: { type: 'boolean', default: false },
    },
  });
  const path = values.db
    ? resolve(values.db)
    : tillPaths(resolve(values.data ?? process.env.HAAT_TILL_DIR ?? '.data/till')).db;
  const app = openTillApp({
    db: path,
    ...(values.branch ? { branch: values.branch } : {}),
    ...(values.till ? { till: Number(values.till) } : {}),
    demo: values.demo,
  });
  const staticDir = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));
  const host = await startTillHost({
    service: app.service,
    staticDir,
    host: values.host,
    port: Number(values.port),
  }).catch(async (e: unknown) => {
    await app.close();
    throw e;
  });
  console.log(`Till ${app.till.id.branch}-${app.till.id.till} (${path}) is open at ${host.url}`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    console.log('Closing the till after the sync in progress…');
    void host
      .close()
      .finally(() => app.close())
      .then(
        () => process.exit(0),
        (e: unknown) => {
          console.error(e);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e instanceof TillNotProvisionedError ? e.message : e);
  process.exit(1);
});
