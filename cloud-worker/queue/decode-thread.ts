import { parentPort } from 'node:worker_threads';
import { openEnvelope } from '../../shared/wire/queue-message';
import type { DecodeJob } from './decode-pool';
import { nodeQueuePrimitives } from './node-primitives';

/** Verifies, inflates and validates queue messages off the thread that writes to the database. */
const port = parentPort;
if (!port) throw new Error('decode-thread runs as a worker thread');
port.on('message', async ({ id, jobs }: { id: number; jobs: DecodeJob[] }) => {
  const results = [];
  for (const job of jobs) results.push(await openEnvelope(job.envelope, job.publicKey, nodeQueuePrimitives));
  port.postMessage({ id, results });
});
