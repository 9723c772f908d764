/**
 * Installs this till from the provisioning file head office issued:
 *
 *   npm run provision -- <bundle.json> [--data <dir>]
 *
 * The signing key and pull token are stored owner-only and never printed.
 */
import { readFileSync } from 'node:fs';
import { provisionTill, tillPaths } from '../sync/provision';
import { dataDir, positional } from './args';

function main(): void {
  const argv = process.argv.slice(2);
  const [file] = positional(argv);
  if (!file) {
    console.error('Usage: npm run provision -- <bundle.json> [--data <dir>]');
    process.exit(2);
  }
  const dir = dataDir(argv);
  const bundle = provisionTill(dir, readFileSync(file, 'utf8'));
  console.log(`Installed till ${bundle.branch}-${bundle.till} in ${dir}`);
  console.log(`  database     ${tillPaths(dir).db}`);
  console.log(`  credentials  ${tillPaths(dir).credentials} (owner-only)`);
  console.log(`  head office  ${bundle.apiUrl}`);
  console.log('Run haat-sync (`npm run sync` from source) to fetch the catalog and staff.');
}

try {
  main();
} catch (e) {
  console.error(`Could not install the till: ${(e as Error).message}`);
  process.exit(1);
}
