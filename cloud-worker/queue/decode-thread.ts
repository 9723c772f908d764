import { parentPort } from 'node:worker_threads';
import { openJob, type DecodeJob } from './decode-pool';

/** Verifies, inflates and validates queue messages off the thread that writes to the database. */
const port = parentPort;
if (!port) throw new Error('decode-thread runs as a worker thread');
port.on('message', async ({ id, jobs, prepare }: { id: number; jobs: DecodeJob[]; prepare: boolean }) => {
  const results = [];
  for (const job of jobs) results.push(await openJob(job, prepare));
  port.postMessage({ id, results });
});
