/**
 * Builds the desktop app into dist/: the cashier's screens (Vite) into
 * dist/renderer, and into dist/electron (esbuild, CommonJS, as Electron
 * loads them) the main process, its sandboxed preload, the sync worker
 * thread the main process starts, and the `haat-sync` and `haat-provision`
 * commands, with the store's migrations beside them where the store looks
 * for them.
 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist/electron`;

const common = { bundle: true, format: 'cjs', target: 'node20', sourcemap: true, logLevel: 'warning' } as const;

/** A Node-side entry as Electron loads it: CommonJS, better-sqlite3 left to node_modules. */
export async function buildNodeBundle(entry: string, outfile: string, external: string[] = []): Promise<void> {
  await build({
    ...common,
    entryPoints: [entry],
    outfile,
    platform: 'node',
    external: [...external, 'better-sqlite3'],
    // The store finds its migrations, and the sync its worker, next to the bundle through import.meta.url.
    define: { 'import.meta.url': '__haatModuleUrl' },
    banner: { js: "const __haatModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
}

export async function buildApp(): Promise<void> {
  execFileSync(process.execPath, [`${root}node_modules/vite/bin/vite.js`, 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  mkdirSync(out, { recursive: true });
  await buildNodeBundle(`${root}main/electron/main.ts`, `${out}/main.cjs`, ['electron']);
  // The till's sync runs on a worker thread, started from main.cjs's folder.
  await buildNodeBundle(`${root}main/sync/sync-worker.ts`, `${out}/sync-worker.cjs`);
  // The commands shipped beside the app, run with its runtime (scripts/packaging/bin).
  await buildNodeBundle(`${root}main/cli/sync.ts`, `${out}/haat-sync.cjs`);
  await buildNodeBundle(`${root}main/cli/provision.ts`, `${out}/haat-provision.cjs`);
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
