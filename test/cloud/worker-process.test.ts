import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../cloud-worker/db/database';
import { openDatabase } from '../../cloud-worker/db/open';
import { QueueConsumer, runConsumer } from '../../cloud-worker/queue/consume';
import { saleBatches, tillSource } from '../../cloud-worker/testing/batches';
import { sendBatches, silentLog, startCloudFixture, type CloudFixture } from '../../cloud-worker/testing/cloud-fixture';
import { databaseKinds } from '../../cloud-worker/testing/test-database';
import { postgresLine } from './postgres-line';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function startWorker(
  f: CloudFixture,
  queue: string,
  extraEnv: NodeJS.ProcessEnv = {},
): { child: ChildProcess; output: () => string } {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AZURE_STORAGE_CONNECTION_STRING: f.azurite.connectionString,
    HAAT_QUEUE: queue,
    HAAT_VISIBILITY_TIMEOUT: '3',
    HAAT_MAX_IDLE_MS: '200',
    HAAT_LOG_LEVEL: 'info',
    ...extraEnv,
  };
  delete env.DATABASE_URL;
  delete env.HAAT_PGLITE_DIR;
  if (f.t.config.databaseUrl) env.DATABASE_URL = f.t.config.databaseUrl;
  if (f.t.config.pgliteDir) env.HAAT_PGLITE_DIR = f.t.config.pgliteDir;
  Object.assign(env, extraEnv);
  const child = spawn(process.execPath, ['--import', 'tsx', 'cloud-worker/worker-main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });

async function queued(queue: QueueClient): Promise<number> {
  return (await queue.getProperties()).approximateMessagesCount ?? 0;
}

describe.each(databaseKinds())('worker processes on %s', (kind) => {
  let f: CloudFixture;
  let db: Database;
  beforeAll(async () => {
    f = await startCloudFixture(kind, { folder: true });
    db = f.t.db;
  });
  afterAll(async () => {
    await db.close().catch(() => {});
    await f.dispose();
  });

  it('loses and doubles nothing when a worker is killed with SIGKILL mid-batch and another takes over', async () => {
    const { queue } = await f.newQueue();
    const till = await f.addTill('KIL01', 1);
    const total = 4000;
    await sendBatches(queue, till.signer, saleBatches(tillSource('KIL01', 1), total, 40));
    // PGlite is one process's: hand the folder to the worker.
    if (kind === 'pglite') await db.close();

    const first = startWorker(f, queue.name);
    await until('a first ingested receive', () => first.output().includes('ingested a receive'));
    first.child.kill('SIGKILL');
    expect((await exited(first.child)).signal).toBe('SIGKILL');
    expect(await queued(queue)).toBeGreaterThan(0);

    const second = startWorker(f, queue.name);
    await until('an empty queue', async () => (await queued(queue)) === 0);
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toEqual({ code: 0, signal: null });
    expect(second.output()).toContain('worker stopped');

    if (kind === 'pglite') db = await openDatabase(f.t.config);
    const [sales] = await db.query<{ n: number; distinct_seq: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT seq)::int AS distinct_seq FROM sales WHERE branch = 'KIL01'`,
    );
    expect(sales).toEqual({ n: total, distinct_seq: total });
    const [tillRow] = await db.query('SELECT acked_seq, highest_seq FROM tills WHERE branch = $1', ['KIL01']);
    expect(tillRow).toEqual({ acked_seq: total, highest_seq: total });
    expect(await db.query('SELECT 1 FROM rejected_messages')).toEqual([]);
  });
  it('finishes the receives in hand on SIGTERM: no message is left hidden without its data', async () => {
    const { queue } = await f.newQueue();
    const till = await f.addTill('TRM01', 1, db);
    const batches = saleBatches(tillSource('TRM01', 1), 6000, 30);
    await sendBatches(queue, till.signer, batches);
    if (kind === 'pglite') await db.close();

    // Hidden for a minute once received: a receive abandoned by the worker would show.
    const worker = startWorker(f, queue.name, { HAAT_VISIBILITY_TIMEOUT: '60' });
    await until('a first ingested receive', () => worker.output().includes('ingested a receive'));
    worker.child.kill('SIGTERM');
    expect(await exited(worker.child)).toEqual({ code: 0, signal: null });

    if (kind === 'pglite') db = await openDatabase(f.t.config);
    const [ingested] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ingest_batches WHERE branch = 'TRM01'`,
    );
    // Every message is either ingested and deleted, or still visible at once.
    let visible = 0;
    for (;;) {
      const got = await queue.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 60 });
      if (got.receivedMessageItems.length === 0) break;
      visible += got.receivedMessageItems.length;
    }
    expect(ingested!.n).toBeGreaterThan(0);
    expect(ingested!.n + visible).toBe(batches.length);
  });

  it.skipIf(kind !== 'postgres')('lets two worker processes share a queue with nothing lost or doubled', async () => {
    const { queue } = await f.newQueue();
    const tills = [await f.addTill('PRC01', 1, db), await f.addTill('PRC01', 2, db)];
    for (const till of tills) {
      await sendBatches(queue, till.signer, saleBatches(tillSource('PRC01', till.till), 2000, 25));
    }
    const workers = [startWorker(f, queue.name), startWorker(f, queue.name)];
    await until('an empty queue', async () => (await queued(queue)) === 0);
    for (const w of workers) w.child.kill('SIGTERM');
    for (const w of workers) expect(await exited(w.child)).toEqual({ code: 0, signal: null });
    for (const w of workers) expect(w.output()).toContain('ingested a receive');
    const rows = await db.query<{ till_no: number; n: number; acked_seq: number }>(
      `SELECT s.till_no, count(DISTINCT s.id)::int AS n, max(t.acked_seq)::int AS acked_seq
         FROM sales s JOIN tills t ON t.branch = s.branch AND t.till_no = s.till_no
        WHERE s.branch = 'PRC01' GROUP BY s.till_no ORDER BY s.till_no`,
    );
    expect(rows).toEqual([
      { till_no: 1, n: 2000, acked_seq: 2000 },
      { till_no: 2, n: 2000, acked_seq: 2000 },
    ]);
    const [count] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM sales WHERE branch = 'PRC01'`);
    expect(count!.n).toBe(4000);
  });

  it.skipIf(kind !== 'postgres')('waits for PostgreSQL when started without it, then drains the queue', async () => {
    const { queue } = await f.newQueue();
    const till = await f.addTill('WTP01', 1, db);
    await sendBatches(queue, till.signer, saleBatches(tillSource('WTP01', 1), 300, 30));
    const { line, url } = await postgresLine(f.t.config.databaseUrl!);
    try {
      await line.cut();
      const worker = startWorker(f, queue.name, { DATABASE_URL: url });
      await until('the worker to wait', () => worker.output().split('waiting for it').length > 2, 30_000);
      expect(worker.child.exitCode).toBeNull();
      expect(worker.output()).not.toContain('worker started');
      await line.restore();
      await until('an empty queue', async () => (await queued(queue)) === 0);
      worker.child.kill('SIGTERM');
      expect(await exited(worker.child)).toEqual({ code: 0, signal: null });
      const [count] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM sales WHERE branch = 'WTP01'`);
      expect(count!.n).toBe(300);
    } finally {
      await line.close();
    }
  });

  it.skipIf(kind !== 'postgres')('stops at once on SIGTERM while it waits for PostgreSQL', async () => {
    const { queue } = await f.newQueue();
    const { line, url } = await postgresLine(f.t.config.databaseUrl!);
    try {
      await line.cut();
      const worker = startWorker(f, queue.name, { DATABASE_URL: url });
      await until('the worker to wait', () => worker.output().includes('waiting for it'), 30_000);
      worker.child.kill('SIGTERM');
      expect(await exited(worker.child)).toEqual({ code: 0, signal: null });
      expect(worker.output()).toContain('stopped before the database answered');
    } finally {
      await line.close();
    }
  });
});

describe.each(databaseKinds())('two workers on one queue, %s', (kind) => {
  let f: CloudFixture;
  beforeAll(async () => {
    f = await startCloudFixture(kind);
  });
  afterAll(() => f.dispose());

  it('ingests every sale exactly once', async () => {
    const { queue, poison } = await f.newQueue();
    const tills = [await f.addTill('TWO01', 1), await f.addTill('TWO01', 2)];
    const perTill = 1500;
    for (const till of tills) {
      await sendBatches(queue, till.signer, saleBatches(tillSource('TWO01', till.till), perTill, 25));
    }
    // On PostgreSQL each worker has its own pool; PGlite has one connection to share.
    const dbs = kind === 'postgres' ? [await f.t.reopen(4), await f.t.reopen(4)] : [f.t.db, f.t.db];
    const stop = new AbortController();
    const received = [0, 0];
    const runs = dbs.map((db, i) =>
      runConsumer(new QueueConsumer({ db, queue, poison, log: silentLog, visibilityTimeoutSeconds: 30 }), stop.signal, {
        minIdleMs: 20,
        maxIdleMs: 100,
        onReceive: (s) => (received[i]! += s.ingested),
      }),
    );
    await until('an empty queue', async () => (await queued(queue)) === 0);
    stop.abort();
    await Promise.all(runs);

    expect(received[0]! + received[1]!).toBe((2 * perTill) / 25);
    expect(received[0]).toBeGreaterThan(0);
    expect(received[1]).toBeGreaterThan(0);
    const rows = await f.t.db.query<{ till_no: number; n: number; acked_seq: number }>(
      `SELECT s.till_no, count(*)::int AS n, max(t.acked_seq)::int AS acked_seq
         FROM sales s JOIN tills t ON t.branch = s.branch AND t.till_no = s.till_no
        WHERE s.branch = 'TWO01' GROUP BY s.till_no ORDER BY s.till_no`,
    );
    expect(rows).toEqual([
      { till_no: 1, n: perTill, acked_seq: perTill },
      { till_no: 2, n: perTill, acked_seq: perTill },
    ]);
  });
});
