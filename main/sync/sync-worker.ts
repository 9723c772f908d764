/**
 * Runs one sync in a worker thread, so that compressing, signing and the
 * outbox reads never hold up the thread that answers the till's screen.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { classifyError } from './failure';
import { runSync, type SyncOptions } from './run';
import { SyncBusyError } from './single-flight';

export type WorkerOptions = Pick<SyncOptions, 'dir' | 'concurrency' | 'timeoutMs' | 'missingGraceMs' | 'queueOrigin'>;

export type WorkerMessage =
  | { readonly type: 'progress'; readonly progress: unknown }
  | { readonly type: 'done'; readonly summary: unknown }
  | { readonly type: 'busy'; readonly message: string }
  | { readonly type: 'failed'; readonly kind: string; readonly detail: string };

const port = parentPort;
if (port) {
  const options = workerData as WorkerOptions;
  runSync({
    ...options,
    onProgress: (progress) => port.postMessage({ type: 'progress', progress } satisfies WorkerMessage),
  })
    .then((summary) => port.postMessage({ type: 'done', summary } satisfies WorkerMessage))
    .catch((e: unknown) => {
      if (e instanceof SyncBusyError) port.postMessage({ type: 'busy', message: e.message } satisfies WorkerMessage);
      else {
        const f = classifyError(e);
        port.postMessage({ type: 'failed', kind: f.kind, detail: f.detail } satisfies WorkerMessage);
      }
    });
}
