/**
 * How far the chain scales, from what our benchmarks measured:
 *
 *   npm run simulate -- --branches 2000 --tills 3 --sales-per-day 2000
 *     [--hours 12] [--peak 10] [--sync-minutes 5]
 *
 * `--sales-per-day` is per branch, across its tills. The measured costs come
 * from `.bench/push.json` and `.bench/ingest.json` (run `npm run bench --
 * push ingest` first); a cost with no measurement on this machine falls back
 * to the figure written in docs/scale.md, and the output says which.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_DIR, type BenchResult } from './bench/harness';
import { textTable } from './chain/summary';
import { AZURE_QUEUE_LIMITS, HEADROOM, plan, type Chain, type Load, type MeasuredCosts } from './scale-model';

/** The figures of the run written up in docs/scale.md, used where `.bench/` has none. */
export const RECORDED_COSTS: MeasuredCosts = {
  salesPerFullMessage: 185,
  messageBytesPerSale: 320,
  workerSalesPerSecond: 2_500,
  copySalesPerSecond: 6_000,
  rowsPerSale: 9,
  storageBytesPerSale: 2_400,
};

type CostSource = Record<keyof MeasuredCosts, string>;

function readBench(name: string): BenchResult | undefined {
  const path = join(BENCH_DIR, `${name}.json`);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as BenchResult) : undefined;
}

/** The first figure whose label contains every one of `words`. */
function figureOf(result: BenchResult | undefined, ...words: string[]): number | undefined {
  return result?.figures.find((f) => words.every((w) => f.label.includes(w)))?.value;
}

export function measuredCosts(): { costs: MeasuredCosts; source: CostSource } {
  const push = readBench('push');
  const ingest = readBench('ingest');
  const salesPerMessage = figureOf(push, 'sales per message');
  const messageBytes = figureOf(push, 'message size');
  const found: Partial<Record<keyof MeasuredCosts, number>> = {
    salesPerFullMessage: salesPerMessage,
    messageBytesPerSale: salesPerMessage && messageBytes ? messageBytes / salesPerMessage : undefined,
    workerSalesPerSecond: figureOf(ingest, 'worker sales per second'),
    copySalesPerSecond: figureOf(ingest, 'COPY sales per second'),
    rowsPerSale: figureOf(ingest, 'rows per sale'),
    storageBytesPerSale: figureOf(ingest, 'storage per sale'),
  };
  const costs = { ...RECORDED_COSTS };
  const source = {} as CostSource;
  for (const key of Object.keys(RECORDED_COSTS) as (keyof MeasuredCosts)[]) {
    const value = found[key];
    if (value !== undefined && value > 0) {
      costs[key] = value;
      source[key] =
        key === 'salesPerFullMessage' || key === 'messageBytesPerSale' ? '.bench/push.json' : '.bench/ingest.json';
    } else {
      source[key] = 'docs/scale.md (not measured here yet)';
    }
  }
  return { costs, source };
}

function parseChain(argv: readonly string[]): Chain {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--'),
    options: {
      branches: { type: 'string', default: '2000' },
      tills: { type: 'string', default: '3' },
      'sales-per-day': { type: 'string', default: '2000' },
      hours: { type: 'string', default: '12' },
      peak: { type: 'string', default: '10' },
      'sync-minutes': { type: 'string', default: '5' },
    },
    strict: true,
  });
  const number = (flag: keyof typeof values) => {
    const text = values[flag]!;
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) throw new Error(`--${flag}: "${text}" is not a number`);
    return n;
  };
  return {
    branches: number('branches'),
    tillsPerBranch: number('tills'),
    salesPerBranchPerDay: number('sales-per-day'),
    tradingHours: number('hours'),
    peakFactor: number('peak'),
    syncMinutes: number('sync-minutes'),
  };
}

const n0 = (v: number) => Math.round(v).toLocaleString('en-US');
const n1 = (v: number) => (v >= 100 ? n0(v) : v.toLocaleString('en-US', { maximumFractionDigits: 2 }));
const bytes = (v: number) => {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i += 1;
  }
  return `${v.toLocaleString('en-US', { maximumFractionDigits: 1 })} ${units[i]}`;
};

function loadRows(average: Load, peak: Load): string[][] {
  const row = (label: string, pick: (l: Load) => number, format = n1) => [
    label,
    format(pick(average)),
    format(pick(peak)),
  ];
  return [
    row('sales per second', (l) => l.salesPerSecond),
    row('sales per till per sync', (l) => l.salesPerTillPerSync),
    row('messages per till per sync', (l) => l.messagesPerTillPerSync),
    row('average message size', (l) => l.averageMessageBytes, bytes),
    row('queue: messages in per second', (l) => l.putsPerSecond),
    row('queue: receive calls per second', (l) => l.receivesPerSecond),
    row('queue: deletes per second', (l) => l.deletesPerSecond),
    row('queue: requests per second, all', (l) => l.queueRequestsPerSecond),
    row('queue: bytes in per second', (l) => l.queueBytesPerSecond, bytes),
    row('API: pulls per second', (l) => l.pullsPerSecond),
    row('database: rows per second', (l) => l.rowsPerSecond),
    row('workers needed', (l) => l.workers, n0),
  ];
}

export function describe(chain: Chain, costs: MeasuredCosts, source: CostSource): string {
  const p = plan(chain, costs);
  const out: string[] = [];
  out.push(
    `A chain of ${n0(chain.branches)} branches × ${n1(chain.tillsPerBranch)} tills, ${n0(chain.salesPerBranchPerDay)} sales per branch a day ` +
      `over ${n1(chain.tradingHours)} trading hours, a peak of ${n1(chain.peakFactor)}× the average, a sync every ${n1(chain.syncMinutes)} minutes.`,
    `${n0(p.salesPerDay)} sales a day.`,
    '',
    'Measured costs',
    textTable(
      ['cost', 'value', 'from'],
      [
        ['sales in a full message', n1(costs.salesPerFullMessage), source.salesPerFullMessage],
        ['message bytes per sale', n1(costs.messageBytesPerSale), source.messageBytesPerSale],
        ['one worker, sales per second', n0(costs.workerSalesPerSecond), source.workerSalesPerSecond],
        ['COPY into one server, sales per second', n0(costs.copySalesPerSecond), source.copySalesPerSecond],
        ['central rows per sale', n1(costs.rowsPerSale), source.rowsPerSale],
        ['central bytes per sale (data and indexes)', n0(costs.storageBytesPerSale), source.storageBytesPerSale],
      ],
    ),
    '',
    'Load',
    textTable(['figure', 'average', `peak (${n1(chain.peakFactor)}×)`], loadRows(p.average, p.peak)),
    '',
    `Storage: ${bytes(p.storageBytesPerYear)} a year in the central database (${bytes(p.storageBytesPerYear / 365)} a day).`,
    '',
    'Against the limits, at the peak',
    textTable(
      ['limit', 'at peak', 'limit', 'use', 'branches it allows*'],
      p.limits.map((l) => [
        l.name,
        `${n1(l.atPeak)} ${l.unit}`,
        `${n0(l.limit)} ${l.unit}`,
        `${(l.use * 100).toFixed(1)} %`,
        Number.isFinite(l.branchesAllowed) ? n0(l.branchesAllowed) : 'no limit',
      ]),
    ),
    `* keeping ${HEADROOM.queue * 100} % headroom on the queue and the account, ${HEADROOM.database * 100} % on the database; ` +
      `Azure's targets: ${n0(AZURE_QUEUE_LIMITS.messagesPerSecondPerQueue)} messages/s per queue, ` +
      `${n0(AZURE_QUEUE_LIMITS.requestsPerSecondPerAccount)} requests/s per storage account.`,
    '',
    `Reached first as the chain grows: ${p.first.name} (${(p.first.use * 100).toFixed(1)} % at the peak; ` +
      `about ${Number.isFinite(p.first.branchesAllowed) ? n0(p.first.branchesAllowed) : 'unlimited'} branches of this kind).`,
    `Needed: ${n0(p.queues)} queue${p.queues > 1 ? 's' : ''}, ${n0(p.storageAccounts)} storage account${p.storageAccounts > 1 ? 's' : ''}, ` +
      `${n0(p.workers)} worker${p.workers > 1 ? 's' : ''} at the peak (${HEADROOM.worker * 100} % busy), ` +
      `${n0(p.databaseShards)} database shard${p.databaseShards > 1 ? 's' : ''}` +
      (p.databaseShards > 1 ? ' (Citus, distributed by branch).' : ' (one PostgreSQL server).'),
  );
  return out.join('\n');
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  try {
    const chain = parseChain(process.argv.slice(2));
    const { costs, source } = measuredCosts();
    console.log(describe(chain, costs, source));
  } catch (e) {
    console.error(`simulate: ${(e as Error).message}`);
    process.exit(2);
  }
}
