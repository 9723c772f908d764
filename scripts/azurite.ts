/**
 * Starts Azurite's queue service from the npm package for local use, with
 * its data in .data/azurite (kept across restarts, as Azure would keep it),
 * on port 10001 unless AZURITE_QUEUE_PORT says otherwise (and AZURITE_LOCATION
 * for the folder). Ctrl-C stops it.
 */
import { resolve } from 'node:path';
import { startAzurite } from '../cloud-worker/queue/azurite';

async function main() {
  const port = Number(process.env.AZURITE_QUEUE_PORT ?? 10001);
  const azurite = await startAzurite(resolve(process.env.AZURITE_LOCATION ?? '.data/azurite'), port);
  console.log(`Azurite queue service on port ${azurite.port}, data in ${azurite.location}`);
  console.log(`AZURE_STORAGE_CONNECTION_STRING="${azurite.connectionString}"`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void azurite.stop().then(() => process.exit(0)));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
