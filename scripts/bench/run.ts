/**
 * Runs benchmarks: `npm run bench -- <name>...`, or every benchmark when none
 * is named. Prints a table per benchmark, writes `.bench/<name>.json`, and
 * exits 1 when any check is not met (or a name is unknown), naming which.
 */
import { formatResult, writeResult, type Benchmark, type Check } from './harness';
import { productSearch } from './product-search';
import { pull } from './pull';
import { push } from './push';
import { report } from './report';
import { saleCommit } from './sale-commit';
import { run as ingest } from './ingest';
import { uiScan } from './ui-scan';

const BENCHMARKS: Readonly<Record<string, Benchmark>> = {
  'sale-commit': saleCommit,
  'product-search': productSearch,
  ingest,
  'ui-scan': uiScan,
  push,
  pull,
  report,
};

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((a) => a !== '--');
  const unknown = names.filter((n) => !Object.hasOwn(BENCHMARKS, n));
  if (unknown.length > 0) {
    console.error(
      `Unknown benchmark${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. Known: ${Object.keys(BENCHMARKS).join(', ')}.`,
    );
    process.exit(1);
  }
  const failed: { name: string; check: Check }[] = [];
  for (const name of names.length > 0 ? names : Object.keys(BENCHMARKS)) {
    const bench = BENCHMARKS[name];
    if (!bench) throw new Error(`benchmark ${name} vanished`);
    console.log(`running ${name}…`);
    const result = await bench();
    if (result.name !== name) throw new Error(`benchmark ${name} reported itself as ${result.name}`);
    console.log(`\n${formatResult(result)}`);
    console.log(`wrote ${writeResult(result)}\n`);
    for (const c of result.checks) if (!c.met) failed.push({ name, check: c });
  }
  if (failed.length > 0) {
    console.error('Checks not met:');
    for (const { name, check } of failed) {
      console.error(`  ${name}: ${check.figure} = ${check.value} (goal ${check.goal})`);
    }
    process.exit(1);
  }
  console.log('All checks met.');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
