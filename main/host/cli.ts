/**
 * Runs a till as an HTTP host so that its screens work in a browser:
 * `npm run till` (builds the screens, then starts this). Options:
 *   --db PATH         the till database (default .data/till.sqlite)
 *   --host ADDR       where to listen (default 127.0.0.1; another address lets a second till's browser in)
 *   --port N          default 4310
 *   --branch CODE --till N   provision a new database as this till
 *   --demo            a new database without --branch becomes the demo shop DHK01 till 1
 *                     (cashier PIN 1234, manager PIN 9876); `npm run till` passes it
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createPosService } from '../api/pos-service';
import { openTillFile, TillNotProvisionedError } from './till-file';
import { startTillHost } from './till-host';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      db: { type: 'string', default: '.data/till.sqlite' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '4310' },
      branch: { type: 'string' },
      till: { type: 'string' },
      demo: { type: 'boolean', default: false },
    },
  });
  const path = resolve(values.db);
  const till = openTillFile(path, {
    ...(values.branch ? { branch: values.branch } : {}),
    ...(values.till ? { till: Number(values.till) } : {}),
    demo: values.demo,
  });
  const service = createPosService(till);
  const staticDir = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));
  const host = await startTillHost({ service, staticDir, host: values.host, port: Number(values.port) });
  console.log(`Till ${till.id.branch}-${till.id.till} (${path}) is open at ${host.url}`);
  console.log('Sync is not wired into this host yet: the header shows the connection as unknown.');
  const stop = () => {
    void host.close().finally(() => {
      till.store.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e instanceof TillNotProvisionedError ? e.message : e);
  process.exit(1);
});
