import { Worker } from 'node:worker_threads';
import type { Result } from '../../shared/result';
import type { SalesBatch } from '../../shared/wire/batch';
import { openEnvelope, type QueueEnvelope } from '../../shared/wire/queue-message';
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

export interface Decoder {
  open(jobs: readonly DecodeJob[]): Promise<Result<SalesBatch>[]>;
  close(): Promise<void>;
}

export const inlineDecoder: Decoder = {
  async open(jobs) {
    const results = [];
    for (const job of jobs) results.push(await openEnvelope(job.envelope, job.publicKey, nodeQueuePrimitives));
    return results;
  },
  async close() {},
};

interface Pending {
  resolve(results: Result<SalesBatch>[]): void;
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
    worker.on('message', ({ id, results }: { id: number; results: Result<SalesBatch>[] }) => {
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

  open(jobs: readonly DecodeJob[]): Promise<Result<SalesBatch>[]> {
    this.worker ??= this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker!.postMessage({ id, jobs });
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
    async open(jobs) {
      const share = Math.ceil(jobs.length / pool.length);
      const parts = [];
      for (let i = 0; i < pool.length && i * share < jobs.length; i++) {
        parts.push(pool[(turn + i) % pool.length]!.open(jobs.slice(i * share, (i + 1) * share)));
      }
      turn = (turn + 1) % pool.length;
      return (await Promise.all(parts)).flat();
    },
    async close() {
      await Promise.all(pool.map((t) => t.close()));
    },
  };
}
