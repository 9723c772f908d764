import { Worker } from 'node:worker_threads';
import { SyncFailure, type SyncFailureKind } from './failure';
import type { SyncProgress, SyncSummary } from './run';
import { SyncBusyError } from './single-flight';
import type { WorkerMessage, WorkerOptions } from './sync-worker';

/**
 * Starts the sync worker. Under tsx (development, tests) the worker's entry is
 * TypeScript and needs tsx's loader registered inside the worker first; the
 * desktop app's build (scripts/build-app.ts) bundles it as `sync-worker.cjs`
 * next to the main process's bundle, where this code then runs.
 */
function startWorker(options: WorkerOptions): Worker {
  const ts = new URL('./sync-worker.ts', import.meta.url);
  if (import.meta.url.endsWith('.ts')) {
    const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(ts.href)}); })`;
    return new Worker(boot, { eval: true, workerData: options });
  }
  return new Worker(new URL('./sync-worker.cjs', import.meta.url), { workerData: options });
}

/** One sync run on a worker thread; resolves with its summary or rejects with SyncFailure / SyncBusyError. */
export function runSyncInWorker(options: WorkerOptions, onProgress?: (p: SyncProgress) => void): Promise<SyncSummary> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(options);
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') onProgress?.(m.progress as SyncProgress);
      else if (m.type === 'done') settle(() => resolve(m.summary as SyncSummary));
      else if (m.type === 'busy') settle(() => reject(new SyncBusyError(options.dir)));
      else settle(() => reject(new SyncFailure(m.kind as SyncFailureKind, m.detail)));
    });
    worker.on('error', (e) =>
      settle(() => reject(new SyncFailure('server', `the sync worker failed: ${e.message}`, { cause: e }))),
    );
    worker.on('exit', (code) =>
      settle(() => reject(new SyncFailure('server', `the sync worker stopped (exit ${code}) before it finished`))),
    );
  });
}
