import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TcpProxy } from '../../scripts/tcp-proxy';
import type { Database } from '../../cloud-worker/db/database';
import { postgresThroughLine } from './postgres-line';
import { QueueConsumer, runConsumer } from '../../cloud-worker/queue/consume';
import { saleBatches, tillSource } from '../../cloud-worker/testing/batches';
import { sendBatches, silentLog, startCloudFixture, type CloudFixture } from '../../cloud-worker/testing/cloud-fixture';

/**
 * PostgreSQL restarting or failing over under a worker, through a real line
 * that is cut: the messages the worker held come back within seconds rather
 * than after the visibility timeout (5 minutes), and no receive counts
 * against their deliveries while the database is away.
 */
describe.skipIf(!process.env.DATABASE_URL)('a worker that loses PostgreSQL', () => {
  let f: CloudFixture;
  let line: TcpProxy;
  let db: Database;

  beforeAll(async () => {
    f = await startCloudFixture('postgres');
    ({ line, db } = await postgresThroughLine(f.t.config.databaseUrl!));
  });

  afterAll(async () => {
    await db?.close().catch(() => undefined);
    await line?.close();
    await f?.dispose();
  });

  async function salesOf(branch: string): Promise<number> {
    const [row] = await f.t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sales WHERE branch = $1', [branch]);
    return row?.n ?? 0;
  }

  async function visible(queue: Awaited<ReturnType<CloudFixture['newQueue']>>['queue']) {
    return (await queue.peekMessages({ numberOfMessages: 32 })).peekedMessageItems.map((m) => m.dequeueCount);
  }

  it('lets a receive it could not write go back at once, and writes it when the database returns', async () => {
    const { queue, poison } = await f.newQueue();
    const till = await f.addTill('OUT01', 1);
    await sendBatches(queue, till.signer, saleBatches(tillSource('OUT01', 1), 6, 2));
    // The line goes down between opening the receive and writing it.
    const cutOnWrite: Database = {
      ...db,
      query: (sql, params) => db.query(sql, params),
      transaction: async (fn) => {
        await line.cut();
        return db.transaction(fn);
      },
    };
    const consumer = new QueueConsumer({ db: cutOnWrite, queue, poison, log: silentLog, retryAfterSeconds: 1 });
    expect(await consumer.receiveOnce()).toMatchObject({ received: 3, ingested: 0, retried: 3 });
    expect(await visible(queue)).toEqual([]);
    await new Promise((r) => setTimeout(r, 1500));
    // Back in the queue after a second, delivered once so far.
    expect(await visible(queue)).toEqual([1, 1, 1]);

    await line.restore();
    const again = new QueueConsumer({ db, queue, poison, log: silentLog });
    expect(await again.receiveOnce()).toMatchObject({ received: 3, ingested: 3 });
    expect(await salesOf('OUT01')).toBe(6);
  });

  it('receives nothing while the database is away, then drains as soon as it answers', async () => {
    const { queue, poison } = await f.newQueue();
    const till = await f.addTill('OUT02', 1);
    await sendBatches(queue, till.signer, saleBatches(tillSource('OUT02', 1), 6, 2));
    await line.cut();
    const consumer = new QueueConsumer({ db, queue, poison, log: silentLog, retryAfterSeconds: 1 });
    const stop = new AbortController();
    const run = runConsumer(consumer, stop.signal, { minIdleMs: 50, maxIdleMs: 200 });
    try {
      // The first receive could not read the tills' keys; it went back,
      // and the worker asks the database, not the queue, until it answers.
      await new Promise((r) => setTimeout(r, 3000));
      expect(await visible(queue)).toEqual([1, 1, 1]);
      await line.restore();
      const deadline = Date.now() + 15_000;
      while ((await salesOf('OUT02')) < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(await salesOf('OUT02')).toBe(6);
    } finally {
      stop.abort();
      await run;
    }
  });
});
