/**
 * docs/benchmarks.md from a run of every benchmark: what each measures
 * against which baseline, every figure, every check against its goal, and
 * the machine it ran on (so that a figure is never read without its
 * circumstances).
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { formatValue, type BenchResult } from './harness';

export type Outcome =
  | { readonly name: string; readonly result: BenchResult; readonly seconds: number }
  | { readonly name: string; readonly error: string; readonly seconds: number };

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly central: string;
  readonly commit: string;
  readonly date: string;
  readonly loadBefore: string;
  readonly loadAfter?: string;
}

/** What each benchmark measures, and the baseline it is set beside in the same run. */
export const BASELINES: Readonly<Record<string, { subject: string; baseline: string }>> = {
  'sale-commit': {
    subject: 'completing a 5-line sale with one payment through the use cases',
    baseline: 'the same rows written by bare prepared statements in one transaction, same pragmas',
  },
  'product-search': {
    subject: 'barcode lookup and ranked name search over 100,000 products (English and Bangla)',
    baseline: "a ranked `LIKE '%q%'` scan of the same table giving the same answer",
  },
  ingest: {
    subject: 'one worker draining 100,000 queued sales from Azurite into PostgreSQL',
    baseline: 'COPY (binary) of the same rows into the same tables in one transaction',
  },
  'ui-scan': {
    subject: 'scanner Enter to the new cart line on screen, in Chromium, through the till host',
    baseline: "the store's own add-line call on a cart growing the same way",
  },
  push: {
    subject:
      '10,000 offline sales pushed by the sync (send what offline runs sealed, pack the rest, sign, send, mark); also with nothing sealed',
    baseline: 'the same bytes sent as ready-made messages with the raw SDK at the same concurrency',
  },
  pull: {
    subject: 'a new till pulling 100,000 products over HTTP, then a 100-change delta',
    baseline: 'the same products written into a fresh till file in one local transaction',
  },
  report: {
    subject: 'month reports over 1,000,000 sales through the rollups',
    baseline: 'the same reports summed straight from the raw tables',
  },
};

export function machineFacts(): Machine {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    // Not a git checkout: the commit stays unknown.
  }
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${osType()} ${release()}`,
    node: process.version,
    central: process.env.DATABASE_URL ? 'PostgreSQL server (DATABASE_URL)' : 'PGlite (embedded)',
    commit,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    loadBefore: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
  };
}

const cell = (text: string) => text.replaceAll('|', '\\|');

export function benchmarksMarkdown(outcomes: readonly Outcome[], machine: Machine): string {
  const out: string[] = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (every benchmark); each figure is measured beside its baseline in the same run,',
    'and the checks compare a ratio or a latency with its goal. `.bench/<name>.json` holds the same figures.',
    '',
    '## Machine',
    '',
    `- ${machine.date}, commit ${machine.commit}`,
    `- ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; ${machine.os}; Node ${machine.node}`,
    `- central database: ${machine.central}`,
    `- load average (1, 5, 15 min) before: ${machine.loadBefore}${machine.loadAfter ? `; after: ${machine.loadAfter}` : ''}`,
    '',
    '## Checks',
    '',
    '| benchmark | figure | value | goal | met |',
    '| --- | --- | ---: | --- | --- |',
  ];
  for (const o of outcomes) {
    if ('error' in o) {
      out.push(`| ${o.name} | (failed: ${cell(o.error)}) | | | no |`);
      continue;
    }
    for (const c of o.result.checks) {
      out.push(
        `| ${o.name} | ${cell(c.figure)} | ${formatValue(c.value)} | ${cell(c.goal)} | ${c.met ? 'yes' : '**no**'} |`,
      );
    }
  }
  for (const o of outcomes) {
    const about = BASELINES[o.name];
    out.push('', `## ${o.name}`, '');
    if (about) out.push(`Measures ${about.subject}; baseline: ${about.baseline}.`, '');
    if ('error' in o) {
      out.push(`Failed after ${o.seconds.toFixed(0)} s: ${o.error}`);
      continue;
    }
    out.push(`Ran for ${o.seconds.toFixed(0)} s.`, '', '| figure | value | unit |', '| --- | ---: | --- |');
    for (const f of o.result.figures) out.push(`| ${cell(f.label)} | ${formatValue(f.value)} | ${cell(f.unit)} |`);
  }
  return `${out.join('\n')}\n`;
}
