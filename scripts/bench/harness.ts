/**
 * What every benchmark shares: the result shape written to `.bench/<name>.json`
 * (figures, and checks of some figures against a goal), timing, percentiles,
 * the printed table, and writing the file. A benchmark measures its subject
 * beside a baseline taken in the same run, so that a figure is always read as
 * a ratio to something this machine just did, never as an absolute promise.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseKind } from '../../cloud-worker/db/database';

export interface Figure {
  readonly label: string;
  readonly value: number;
  readonly unit: string;
}

export interface Check {
  /** The label of the figure checked. */
  readonly figure: string;
  readonly value: number;
  /** The goal as people read it, e.g. `<= 1.3`. */
  readonly goal: string;
  readonly met: boolean;
}

export interface BenchResult {
  readonly name: string;
  readonly figures: readonly Figure[];
  readonly checks: readonly Check[];
}

export type Benchmark = () => BenchResult | Promise<BenchResult>;

export const BENCH_DIR = fileURLToPath(new URL('../../.bench/', import.meta.url));

/** Runs `fn` once and returns how long it took, in milliseconds. */
export function timeMs(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** The middle of the samples (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The central database a benchmark runs on: the server in DATABASE_URL, else PGlite; printed once. */
export function centralKind(): DatabaseKind {
  const kind: DatabaseKind = process.env.DATABASE_URL ? 'postgres' : 'pglite';
  console.log(`  central database: ${kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : 'PGlite (embedded)'}`);
  return kind;
}

/** The nearest-rank percentile `p` (0–100] of the samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile of no samples');
  if (!(p > 0 && p <= 100)) throw new Error(`percentile ${p} must be in (0, 100]`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, rank) - 1] as number;
}

export type Comparison = '<' | '<=' | '>' | '>=';

export function check(figure: Figure, comparison: Comparison, target: number): Check {
  const v = figure.value;
  const met =
    comparison === '<' ? v < target : comparison === '<=' ? v <= target : comparison === '>' ? v > target : v >= target;
  return { figure: figure.label, value: v, goal: `${comparison} ${target}`, met };
}

export function figure(label: string, value: number, unit: string): Figure {
  if (!Number.isFinite(value)) throw new Error(`figure "${label}" is not a finite number: ${value}`);
  return { label, value, unit };
}

export function formatValue(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  return value.toFixed(abs < 1 ? 4 : abs < 100 ? 3 : 1);
}

function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  rightAligned: readonly number[],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (rightAligned.includes(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatResult(result: BenchResult): string {
  const figures = table(
    ['figure', 'value', 'unit'],
    result.figures.map((f) => [f.label, formatValue(f.value), f.unit]),
    [1],
  );
  const checks = table(
    ['check', 'value', 'goal', 'met'],
    result.checks.map((c) => [c.figure, formatValue(c.value), c.goal, c.met ? 'yes' : 'NO']),
    [1],
  );
  return `== ${result.name} ==\n${figures}\n\n${checks}\n`;
}

/** Writes `.bench/<name>.json` and returns its path. */
export function writeResult(result: BenchResult, dir = BENCH_DIR): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${result.name}.json`);
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}
