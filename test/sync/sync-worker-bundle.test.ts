import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, expect, it } from 'vitest';
import type { WorkerMessage } from '../../main/sync/sync-worker';
import { provisionTestTill, unreachableUrl } from '../../main/testing/provisioned-till';
import { buildNodeBundle } from '../../scripts/build-app';

/**
 * The desktop app starts its sync on a worker thread from the bundled
 * `sync-worker.cjs` next to `main.cjs`. Built as `npm run build:app` builds
 * it, the bundle must load in Node (better-sqlite3 from node_modules, the
 * migrations beside it) and run a whole sync: here against a head office out
 * of reach, which it must report as offline.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'haat-worker-till-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

it('runs a sync from the bundled worker, as the desktop app does', async () => {
  // Beside the repository's node_modules, as the packaged app has them beside dist/.
  const bundleDir = mkdtempSync(join(root, 'node_modules', '.haat-worker-'));
  try {
    await buildNodeBundle(join(root, 'main/sync/sync-worker.ts'), join(bundleDir, 'sync-worker.cjs'));
    cpSync(join(root, 'main/store/migrations'), join(bundleDir, 'migrations'), { recursive: true });
    provisionTestTill(dir, await unreachableUrl());
    const message = await new Promise<WorkerMessage>((resolve, reject) => {
      const worker = new Worker(join(bundleDir, 'sync-worker.cjs'), { workerData: { dir, timeoutMs: 5000 } });
      worker.on('message', (m: WorkerMessage) => {
        if (m.type !== 'progress') {
          resolve(m);
          void worker.terminate();
        }
      });
      worker.on('error', reject);
    });
    expect(message).toMatchObject({ type: 'failed', kind: 'offline' });
  } finally {
    rmSync(bundleDir, { recursive: true, force: true });
  }
});
