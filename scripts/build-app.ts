/**
 * Builds the desktop app into dist/: the cashier's screens (Vite) into
 * dist/renderer, and the Electron main process and its sandboxed preload
 * (esbuild, CommonJS, as Electron loads them) into dist/electron, with the
 * store's migrations beside the main bundle where it looks for them.
 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist/electron`;

export async function buildApp(): Promise<void> {
  execFileSync(process.execPath, [`${root}node_modules/vite/bin/vite.js`, 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  mkdirSync(out, { recursive: true });
  const common = { bundle: true, format: 'cjs', target: 'node20', sourcemap: true, logLevel: 'warning' } as const;
  await build({
    ...common,
    entryPoints: [`${root}main/electron/main.ts`],
    outfile: `${out}/main.cjs`,
    platform: 'node',
    external: ['electron', 'better-sqlite3'],
    // The store finds its migrations next to itself through import.meta.url.
    define: { 'import.meta.url': '__haatModuleUrl' },
    banner: { js: "const __haatModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  await build({
    ...common,
    entryPoints: [`${root}main/electron/preload.ts`],
    outfile: `${out}/preload.cjs`,
    platform: 'node',
    external: ['electron'],
  });
  cpSync(`${root}main/store/migrations`, `${out}/migrations`, { recursive: true });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildApp().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
