/**
 * Ingest benchmark: 100,000 sales already queued in Azurite, drained by one
 * worker process into the real PostgreSQL server. Figure: sales per second.
 * Baseline in the same run: COPY of the same rows into the same tables.
 * Goal: worker ÷ COPY ≥ 0.5. Also: messages per database transaction and the
 * worker's memory at the end.
 *
 *   npm run bench:ingest            (or `npm run bench -- ingest` with the harness)
 *   BENCH_SALES=20000 npm run bench:ingest
 *
 * For looking into it: BENCH_VERBOSE=1 prints each receive's timings and the
 * CPU of the worker, its PostgreSQL backends and Azurite;
 * BENCH_CPU_PROFILE_DIR=dir writes the worker's CPU profile; BENCH_NODE_ARGS
 * passes flags to the worker's node; HAAT_* variables reach the worker.
 *
 * Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) only
 * to create and drop a database of its own.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { encodeQueueMessage } from '../../shared/wire/queue-message';
import type { SalesBatch } from '../../shared/wire/batch';
import type { SaleCompleted, TillEvent } from '../../shared/wire/events';
import { factRows, gateRows } from '../../cloud-worker/repositories/ingest-repository';
import { batchOf, saleEvent, tillSource, type TillEventSource } from '../../cloud-worker/testing/batches';
import { startCloudFixture } from '../../cloud-worker/testing/cloud-fixture';
import { tillQueuePrimitives } from '../../main/sync/till-primitives';
import { seededRandom } from '../../main/testing/random';
import { grocerCatalog, type SeedProduct } from '../seed/catalog';

import type { BenchResult } from './harness';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TILLS = 10;

/**
 * A grocer's basket: 1–8 lines of the 2,000-product seed catalog, where the
 * staples (loose goods and the known brands, first in the catalog) sell most
 * and every product sells; loose goods by weight; paid in cash, by card or by
 * mobile money. Messages of such sales compress as a till's own do, not as
 * well as sales that repeat the same few lines would.
 */
function basketSale(src: TillEventSource, random: () => number, catalog: readonly SeedProduct[]): TillEvent {
  const event = saleEvent(src, 1 + Math.floor(random() * 8));
  const sale = event.payload as SaleCompleted;
  const lines = sale.lines.map((line) => {
    const p = catalog[Math.floor(catalog.length * random() ** 2.5)]!;
    const quantity = p.unit === 'kg' ? 250 * (1 + Math.floor(random() * 12)) : 1000 * (1 + Math.floor(random() * 3));
    const gross = Math.round((p.price * quantity) / 1000);
    const vat = Math.round((gross * p.vatRate) / (10_000 + p.vatRate));
    return {
      ...line,
      productId: p.id,
      barcode: p.barcodes[0] ?? null,
      nameEn: p.nameEn,
      nameBn: p.nameBn,
      unit: p.unit,
      quantity,
      unitPrice: p.price,
      vatRate: p.vatRate,
      gross,
      net: gross,
      vat,
    };
  });
  const total = lines.reduce((s, l) => s + l.net, 0);
  const roll = random();
  const method = roll < 0.7 ? 'cash' : roll < 0.85 ? 'card' : 'bkash';
  const cashReceived = method === 'cash' ? Math.ceil(total / 10_000) * 10_000 : 0;
  const payload: SaleCompleted = {
    ...sale,
    lines,
    subtotal: total,
    vatTotal: lines.reduce((s, l) => s + l.vat, 0),
    total,
    payments: [
      {
        method,
        amount: total,
        reference:
          method === 'cash'
            ? null
            : `TRX${Math.floor(random() * 1e10)
                .toString()
                .padStart(10, '0')}`,
      },
    ],
    cashReceived,
    change: cashReceived === 0 ? 0 : cashReceived - total,
  };
  return { ...event, payload } as TillEvent;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function run(): Promise<BenchResult> {
  const totalSales = Number(process.env.BENCH_SALES ?? 100_000);
  process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  const f = await startCloudFixture('postgres');
  try {
    const queueName = 'bench-sales';
    const queue = f.service.getQueueClient(queueName);
    await queue.createIfNotExists();

    // Queue the sales: each till's batches as large as one message allows,
    // compressed as the till compresses them.
    const random = seededRandom(Number(process.env.BENCH_SEED ?? 2026));
    const catalog = grocerCatalog({ size: 2000 });
    const tills = [];
    for (let i = 1; i <= TILLS; i++) tills.push(await f.addTill('BEN01', i));
    const batches: { messageId: string; batch: SalesBatch }[] = [];
    const texts: string[] = [];
    let perBatch = 200;
    for (const till of tills) {
      const src = tillSource('BEN01', till.till);
      let left = totalSales / TILLS;
      while (left > 0) {
        const n = Math.min(perBatch, left);
        const saved = src.nextSeq;
        const savedReceipt = src.receipt;
        const savedSales = src.saleIds.length;
        const batch = batchOf(
          src,
          Array.from({ length: n }, () => basketSale(src, random, catalog)),
        );
        const text = await encodeQueueMessage(batch, till.signer, tillQueuePrimitives);
        if (!text.ok) {
          src.nextSeq = saved;
          src.receipt = savedReceipt;
          src.saleIds.length = savedSales;
          perBatch = Math.floor(n * 0.95);
          continue;
        }
        batches.push({ messageId: `m${batches.length}`, batch });
        texts.push(text.value);
        left -= n;
        // Grow again after a fit, so messages stay nearly full, as the till packs them.
        perBatch = Math.ceil(perBatch * 1.03);
      }
    }
    for (let i = 0; i < texts.length; i += 16) {
      await Promise.all(texts.slice(i, i + 16).map((t) => queue.sendMessage(t, { messageTimeToLive: -1 })));
    }
    const queued = (await queue.getProperties()).approximateMessagesCount ?? 0;
    console.log(`queued ${totalSales} sales in ${queued} messages (${Math.round(totalSales / queued)} per message)`);

    // Both runs start from a checkpoint, so neither pays for the other's WAL.
    await f.t.db.exec('CHECKPOINT');
    const databaseBytes = async () =>
      Number((await f.t.db.query<{ n: string }>('SELECT pg_database_size(current_database())::text AS n'))[0]!.n);
    const bytesBefore = await databaseBytes();
    // The worker, as it runs in production: its own process.
    const profile = process.env.BENCH_CPU_PROFILE_DIR
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE_DIR}`]
      : [];
    const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...profile, ...nodeArgs, '--import', 'tsx', 'cloud-worker/worker-main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: f.t.config.databaseUrl,
        AZURE_STORAGE_CONNECTION_STRING: f.azurite.connectionString,
        HAAT_QUEUE: queueName,
        HAAT_MAX_IDLE_MS: '100',
        HAAT_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const logs: {
      msg: string;
      time: number;
      messages?: number;
      events?: number;
      decodeMs?: number;
      dbMs?: number;
      deleteMs?: number;
    }[] = [];
    let partial = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('{')) logs.push(JSON.parse(line));
    });
    await waitFor(async () => logs.some((l) => l.msg === 'worker started'), 60_000, 'the worker to start');
    const startRssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
    const ingestedSales = () => logs.reduce((s, l) => s + (l.msg === 'ingested a receive' ? (l.events ?? 0) : 0), 0);
    await waitFor(async () => ingestedSales() >= totalSales, 600_000, 'the queue to drain');
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    if (process.env.BENCH_VERBOSE) {
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      console.log(`worker cpu user ${Number(stat[11]) / 100}s system ${Number(stat[12]) / 100}s`);
      const dbName = new URL(f.t.config.databaseUrl!).pathname.slice(1);
      let pgTicks = 0;
      for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
        try {
          if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dbName)) continue;
          const st = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
          pgTicks += Number(st[11]) + Number(st[12]);
        } catch {
          // The process ended meanwhile.
        }
      }
      console.log(`postgres backends of the worker: cpu ${pgTicks / 100}s`);
      const az = readFileSync(`/proc/${f.azurite.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      console.log(`azurite cpu (whole run) user ${Number(az[11]) / 100}s system ${Number(az[12]) / 100}s`);
    }
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const peakKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));

    const started = logs.find((l) => l.msg === 'worker started')!.time;
    const receives = logs.filter((l) => l.msg === 'ingested a receive');
    const workerSeconds = (receives[receives.length - 1]!.time - started) / 1000;
    const workerRate = totalSales / workerSeconds;
    if (process.env.BENCH_VERBOSE) {
      for (const r of receives) console.log(r.time - started, r.messages, r.events, r.decodeMs, r.dbMs, r.deleteMs);
    }
    const messagesPerTx = receives.reduce((s, l) => s + (l.messages ?? 0), 0) / receives.length;

    const db = f.t.db;
    const [counted] = await db.query<{ n: number; distinct_ids: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT id)::int AS distinct_ids FROM sales WHERE branch = 'BEN01'`,
    );
    if (counted?.n !== totalSales || counted.distinct_ids !== totalSales) {
      throw new Error(`expected ${totalSales} sales once each, found ${JSON.stringify(counted)}`);
    }

    // What a sale costs the central database to keep: data and indexes, rollups included.
    const bytesPerSale = ((await databaseBytes()) - bytesBefore) / totalSales;

    // Baseline: the same rows, COPY'd (binary, made before the clock starts)
    // into the same emptied tables in one transaction; the median of three.
    const buffers = [...Object.values(gateRows(batches)), ...Object.values(factRows(batches, undefined, true).tables)];
    const payloads = buffers.map((b) => ({
      table: b.table,
      columns: b.cols.map((c) => c.name),
      data: b.copyData(),
      rows: b.size,
    }));
    const rowsPerSale = buffers.reduce((n, b) => n + b.size, 0) / totalSales;
    const client = new pg.Client({ connectionString: f.t.config.databaseUrl });
    await client.connect();
    const copyTimes: number[] = [];
    for (let round = 0; round < 3; round++) {
      await client.query(`TRUNCATE ${buffers.map((b) => b.table).join(', ')}`);
      await client.query('CHECKPOINT');
      const copyStart = performance.now();
      await client.query('BEGIN');
      for (const p of payloads) {
        if (p.rows === 0) continue;
        await pipeline(
          Readable.from([p.data]),
          client.query(copyFrom(`COPY ${p.table} (${p.columns.join(', ')}) FROM STDIN (FORMAT binary)`)),
        );
      }
      await client.query('COMMIT');
      copyTimes.push((performance.now() - copyStart) / 1000);
    }
    await client.end();
    const copySeconds = copyTimes.sort((a, b) => a - b)[1]!;
    const copyRate = totalSales / copySeconds;
    const ratio = workerRate / copyRate;

    console.log('');
    console.log('figure                 worker        COPY baseline   ratio');
    console.log(
      `sales per second       ${workerRate.toFixed(0).padStart(10)}    ${copyRate.toFixed(0).padStart(10)}      ${ratio.toFixed(2)}`,
    );
    console.log(
      `seconds                ${workerSeconds.toFixed(2).padStart(10)}    ${copySeconds.toFixed(2).padStart(10)}`,
    );
    console.log(`messages per database transaction: ${messagesPerTx.toFixed(1)} (${receives.length} transactions)`);
    console.log(`central database: ${rowsPerSale.toFixed(2)} rows and ${Math.round(bytesPerSale)} bytes per sale`);
    console.log(
      `worker memory at the end: ${(rssKb / 1024).toFixed(0)} MiB resident, peak ${(peakKb / 1024).toFixed(0)} MiB` +
        ` (${(startRssKb / 1024).toFixed(0)} MiB when it started)`,
    );

    return {
      name: 'ingest',
      figures: [
        { label: 'worker sales per second', value: Math.round(workerRate), unit: 'sales/s' },
        { label: 'COPY sales per second (baseline)', value: Math.round(copyRate), unit: 'sales/s' },
        { label: 'worker ÷ COPY', value: Number(ratio.toFixed(3)), unit: 'ratio' },
        { label: 'messages per database transaction', value: Number(messagesPerTx.toFixed(1)), unit: 'messages' },
        { label: 'sales per message', value: Math.round(totalSales / batches.length), unit: 'sales' },
        { label: 'central rows per sale (facts and gates)', value: Number(rowsPerSale.toFixed(2)), unit: 'rows' },
        { label: 'central storage per sale (data and indexes)', value: Math.round(bytesPerSale), unit: 'bytes' },
        { label: 'worker resident memory at the end', value: Math.round(rssKb / 1024), unit: 'MiB' },
        { label: 'worker peak memory', value: Math.round(peakKb / 1024), unit: 'MiB' },
        { label: 'worker resident memory when started', value: Math.round(startRssKb / 1024), unit: 'MiB' },
      ],
      checks: [{ figure: 'worker ÷ COPY', value: Number(ratio.toFixed(3)), goal: '>= 0.5', met: ratio >= 0.5 }],
    };
  } finally {
    await f.dispose();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  run()
    .then((result) => {
      mkdirSync(join(ROOT, '.bench'), { recursive: true });
      writeFileSync(join(ROOT, '.bench/ingest.json'), JSON.stringify(result, null, 2) + '\n');
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
