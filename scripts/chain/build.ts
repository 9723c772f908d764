/**
 * Builds the web screens `npm start` serves, the till's (dist/renderer) and
 * head office's (dist/office), when a build is missing or older than its
 * sources, so that `npm start` after a `git pull` shows the current screens
 * without a separate build step.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface WebApp {
  readonly name: string;
  readonly built: string;
  readonly sources: readonly string[];
  readonly viteArgs: readonly string[];
}

export const WEB_APPS: readonly WebApp[] = [
  { name: 'the till screens', built: 'dist/renderer/index.html', sources: ['renderer', 'shared'], viteArgs: [] },
  {
    name: 'head office’s app',
    built: 'dist/office/index.html',
    sources: ['cloud-worker/office', 'shared'],
    viteArgs: ['--config', 'vite.office.config.ts'],
  },
];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function isCurrent(app: WebApp): boolean {
  const built = join(ROOT, app.built);
  if (!existsSync(built)) return false;
  return statSync(built).mtimeMs >= Math.max(...app.sources.map((s) => newestSource(join(ROOT, s))));
}

export async function buildWebApps(say: (line: string) => void): Promise<void> {
  for (const app of WEB_APPS) {
    if (isCurrent(app)) continue;
    say(`building ${app.name} (vite build)…`);
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', ...app.viteArgs, '--logLevel', 'warn'],
        { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } },
      );
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build failed (exit ${code})`))));
    });
  }
}
