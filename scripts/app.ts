/**
 * `npm run app`: builds and starts the desktop till in Electron. Where the
 * Electron binary is not installed (it cannot be downloaded on every
 * machine), it says so and how to run the same till in a browser instead.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildApp } from './build-app';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The Electron binary the npm package installed, or null when its download was skipped or failed. */
export function electronBinary(): string | null {
  const pkg = `${root}node_modules/electron`;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return `${process.env.ELECTRON_OVERRIDE_DIST_PATH}/electron`;
  if (!existsSync(`${pkg}/path.txt`)) return null;
  const binary = `${pkg}/dist/${readFileSync(`${pkg}/path.txt`, 'utf8').trim()}`;
  return existsSync(binary) ? binary : null;
}

export const MISSING_ELECTRON = [
  'The Electron binary is not installed on this machine, so the desktop till cannot start here.',
  "(It is a separate download, which `npm install` does not run: package.json's allowScripts denies it.)",
  '',
  'Run the same till in a browser instead:',
  '  npm run till',
  'then open http://127.0.0.1:4310 (cashier PIN 1234, manager PIN 9876 in the demo shop).',
  '',
  'To get Electron where downloads work: unset ELECTRON_SKIP_BINARY_DOWNLOAD and run `node node_modules/electron/install.js`.',
].join('\n');

async function main(): Promise<void> {
  const binary = electronBinary();
  if (!binary) {
    console.error(MISSING_ELECTRON);
    process.exit(1);
  }
  await buildApp();
  // A new till database is the demo shop unless HAAT_DEMO=0; a provisioned one is opened as it is.
  const env = { ...process.env, HAAT_DEMO: process.env.HAAT_DEMO ?? '1' };
  const child = spawn(binary, [`${root}dist/electron/main.cjs`], { stdio: 'inherit', env });
  child.on('exit', (code) => process.exit(code ?? 0));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
