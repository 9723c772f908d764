import { Worker } from 'node:worker_threads';
import { ok, type Result } from '../../shared/result';
import type { SalesBatch } from '../../shared/wire/batch';
import { openEnvelope, type QueueEnvelope } from '../../shared/wire/queue-message';
import { batchHeader, prepareRows, type BatchHeader, type PreparedRows } from '../repositories/ingest-repository';
import { nodeQueuePrimitives } from './node-primitives';

/**
 * Opening a message (signature, inflate, schema validation) is most of the
 * worker's CPU. A decoder does it either inline or on worker threads, so that
 * the thread writing to the database is not kept waiting behind it.
 */
export interface DecodeJob {
  readonly envelope: QueueEnvelope;
  readonly publicKey: string;
}

/** An opened message: its batch, or (`prepare`) its header and its rows made ready for COPY. */
export type Opened = { readonly batch: SalesBatch } | { readonly header: BatchHeader; readonly rows: PreparedRows };

export interface Decoder {
  open(jobs: readonly DecodeJob[], prepare: boolean): Promise<Result<Opened>[]>;
  close(): Promise<void>;
}

/** Verifies, inflates and validates one message; with `prepare`, turns it into COPY rows at once. */
export async function openJob(job: DecodeJob, prepare: boolean): Promise<Result<Opened>> {
  const batch = await openEnvelope(job.envelope, job.publicKey, nodeQueuePrimitives);
  if (!batch.ok) return batch;
  return ok(prepare ? { header: batchHeader(batch.value), rows: prepareRows(batch.value) } : { batch: batch.value });
}

/** The batch of a message opened before, read again (its signature and schema were checked then). */
export async function reopenJob(job: DecodeJob): Promise<SalesBatch> {
  const batch = await openEnvelope(job.envelope, job.publicKey, nodeQueuePrimitives);
  if (!batch.ok) throw new Error(`a message opened before no longer opens: ${batch.error.reason}`);
  return batch.value;
}

export const inlineDecoder: Decoder = {
  async open(jobs, prepare) {
    const results = [];
    for (const job of jobs) results.push(await openJob(job, prepare));
    return results;
  },
  async close() {},
};

interface Pending {
  resolve(results: Result<Opened>[]): void;
  reject(error: Error): void;
}

class DecodeThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  private start(): Worker {
    const worker = new Worker(new URL('./decode-thread-boot.mjs', import.meta.url), {
      workerData: { module: new URL('./decode-thread.ts', import.meta.url).href },
    });
    worker.on('message', ({ id, results }: { id: number; results: Result<Opened>[] }) => {
      this.pending.get(id)?.resolve(results);
      this.pending.delete(id);
    });
    const fail = (error: Error) => {
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
      if (this.worker === worker) this.worker = undefined;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`decode thread exited with code ${code}`)));
    worker.unref();
    return worker;
  }

  open(jobs: readonly DecodeJob[], prepare: boolean): Promise<Result<Opened>[]> {
    this.worker ??= this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker!.postMessage({ id, jobs, prepare });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }
}

/** Splits each call's jobs over `threads` worker threads. */
export function threadDecoder(threads: number): Decoder {
  const pool = Array.from({ length: Math.max(1, threads) }, () => new DecodeThread());
  let turn = 0;
  return {
    async open(jobs, prepare) {
      const share = Math.ceil(jobs.length / pool.length);
      const parts = [];
      for (let i = 0; i < pool.length && i * share < jobs.length; i++) {
        parts.push(pool[(turn + i) % pool.length]!.open(jobs.slice(i * share, (i + 1) * share), prepare));
      }
      turn = (turn + 1) % pool.length;
      return (await Promise.all(parts)).flat();
    },
    async close() {
      await Promise.all(pool.map((t) => t.close()));
    },
  };
}
