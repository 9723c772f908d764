/**
 * Runs benchmarks: `npm run bench -- <name>...`, or every benchmark when none
 * is named. Prints a table per benchmark, writes `.bench/<name>.json`, and
 * exits 1 when any check is not met, a benchmark fails, or a name is
 * unknown, naming which. A run of every benchmark also writes
 * docs/benchmarks.md: each figure, the checks against their goals, and the
 * machine it ran on.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { benchmarksMarkdown, machineFacts, type Outcome } from './markdown';
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
  const errors: { name: string; error: string }[] = [];
  const outcomes: Outcome[] = [];
  const machine = machineFacts();
  for (const name of names.length > 0 ? names : Object.keys(BENCHMARKS)) {
    const bench = BENCHMARKS[name];
    if (!bench) throw new Error(`benchmark ${name} vanished`);
    console.log(`running ${name}…`);
    const started = performance.now();
    try {
      const result = await bench();
      if (result.name !== name) throw new Error(`benchmark ${name} reported itself as ${result.name}`);
      console.log(`\n${formatResult(result)}`);
      console.log(`wrote ${writeResult(result)}\n`);
      outcomes.push({ name, result, seconds: (performance.now() - started) / 1000 });
      for (const c of result.checks) if (!c.met) failed.push({ name, check: c });
    } catch (e) {
      // One broken benchmark does not hide the figures of the others.
      const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
      console.error(`${name} failed: ${error}`);
      errors.push({ name, error: error.split('\n')[0]! });
      outcomes.push({ name, error: error.split('\n')[0]!, seconds: (performance.now() - started) / 1000 });
    }
  }
  if (names.length === 0) {
    const path = fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url));
    const md = benchmarksMarkdown(outcomes, { ...machine, loadAfter: machineFacts().loadBefore });
    // Laid out as the repository's Prettier lays out every document, so lint stays clean.
    writeFileSync(path, await format(md, { ...(await resolveConfig(path)), parser: 'markdown' }));
    console.log(`wrote ${path}`);
  }
  for (const { name, error } of errors) console.error(`${name} failed: ${error}`);
  if (failed.length > 0) {
    console.error('Checks not met:');
    for (const { name, check } of failed) {
      console.error(`  ${name}: ${check.figure} = ${check.value} (goal ${check.goal})`);
    }
  }
  if (failed.length > 0 || errors.length > 0) process.exit(1);
  console.log('All checks met.');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
