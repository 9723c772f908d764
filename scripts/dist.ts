/**
 * `npm run dist`: the installable till app. Builds dist/electron and
 * dist/renderer (scripts/build-app.ts), then runs electron-builder with
 * electron-builder.yml: Windows NSIS, Linux AppImage and deb, better-sqlite3
 * rebuilt for Electron, into dist/app. Extra arguments go to electron-builder
 * (`npm run dist -- --win`, `-- --linux deb`).
 *
 * electron-builder downloads the Electron runtime it packs (and, for
 * Windows, NSIS) on first use, so this needs a machine that can reach
 * GitHub's releases or an ELECTRON_MIRROR.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildApp } from './build-app';

const root = fileURLToPath(new URL('..', import.meta.url));

async function main(): Promise<void> {
  await buildApp();
  console.log('built dist/electron and dist/renderer; packaging with electron-builder…');
  const run = spawnSync(
    process.execPath,
    [`${root}node_modules/electron-builder/cli.js`, '--config', 'electron-builder.yml', ...process.argv.slice(2)],
    { cwd: root, stdio: 'inherit' },
  );
  if (run.status !== 0) {
    console.error(
      '\nelectron-builder did not finish. If it could not download Electron or NSIS, this machine cannot reach ' +
        'their releases: run `npm run dist` where it can, or set ELECTRON_MIRROR / ELECTRON_BUILDER_BINARIES_MIRROR ' +
        'to a mirror you trust. The built app in dist/electron still runs with `npm run app` where Electron is installed.',
    );
    process.exit(run.status ?? 1);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
