/**
 * `npm run chaos`: proof that the chain loses and doubles nothing under
 * fire. Runs the chaos run (chaos.ts) and prints its reconciliation; exits 1
 * unless nothing was lost, duplicated, unexpected or accepted by mistake.
 *
 *   npm run chaos -- [--branches 20] [--tills 2] [--sales 100000] [--workers 3]
 *                    [--bad 10000] [--seed n] [--fault-every-ms 1500] [--sync-every-ms 5000] [--products 300]
 *                    [--outage-s 240] [--settle-timeout-s 900] [--restart-postgres 'pg_ctlcluster 15 main restart']
 *                    [--keep] [--json]
 *
 * Needs DATABASE_URL (a PostgreSQL server where it may create a database).
 */
import { parseArgs } from 'node:util';
import { formatReport } from './report';
import { runChaos, type ChaosOptions } from './chaos';

async function main() {
  // Ctrl-C: exit, so that every child process is ended with the run (processes.ts).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  const { values } = parseArgs({
    options: {
      branches: { type: 'string', default: '20' },
      tills: { type: 'string', default: '2' },
      sales: { type: 'string', default: '100000' },
      workers: { type: 'string', default: '3' },
      bad: { type: 'string', default: '10000' },
      seed: { type: 'string' },
      'fault-every-ms': { type: 'string', default: '1500' },
      'sync-every-ms': { type: 'string', default: '5000' },
      'outage-s': { type: 'string', default: '240' },
      products: { type: 'string', default: '300' },
      'settle-timeout-s': { type: 'string', default: '900' },
      'restart-postgres': { type: 'string' },
      keep: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const whole = (name: string, raw: string | undefined, min: number): number => {
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < min) throw new Error(`--${name} must be a whole number of at least ${min}`);
    return n;
  };
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    throw new Error(
      'DATABASE_URL must name a PostgreSQL server where the run may create (and drop) a database of its own',
    );
  }
  const options: ChaosOptions = {
    branches: whole('branches', values.branches, 2),
    tillsPerBranch: whole('tills', values.tills, 1),
    sales: whole('sales', values.sales, 1),
    workers: whole('workers', values.workers, 1),
    badInputs: whole('bad', values.bad, 0),
    seed: values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : whole('seed', values.seed, 0),
    faultEveryMs: whole('fault-every-ms', values['fault-every-ms'], 50),
    syncEveryMs: whole('sync-every-ms', values['sync-every-ms'], 100),
    outageMs: whole('outage-s', values['outage-s'], 1) * 1000,
    products: whole('products', values.products, 10),
    settleTimeoutMs: whole('settle-timeout-s', values['settle-timeout-s'], 10) * 1000,
    databaseUrl,
    ...(values['restart-postgres'] ? { restartPostgres: values['restart-postgres'] } : {}),
    keep: values.keep,
    progress: (line) => console.error(`[chaos] ${line}`),
  };
  console.error(`[chaos] seed ${options.seed} (--seed ${options.seed} replays the choices)`);
  const report = await runChaos(options);
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
  process.exit(report.failures.length === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
