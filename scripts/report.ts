/**
 * Head office's reports from the command line, on the central database the
 * cloud uses (DATABASE_URL, or the PGlite data folder HAAT_PGLITE_DIR):
 *
 *   npm run report -- <name> --from YYYY-MM-DD --to YYYY-MM-DD [--branch CODE] [--limit N] [--format table|csv]
 *
 * `table` (the default) lines the columns up and writes taka with lakh
 * grouping; `csv` is the same CSV the API gives. A bad argument is named in
 * the error and nothing is run.
 */
import { databaseConfig, loadConfig } from '../cloud-worker/config';
import { openDatabase } from '../cloud-worker/db/open';
import { runReport } from '../cloud-worker/reports/run-report';
import { formatDhakaTime, formatTaka, groupLakh } from '../shared/format';
import {
  REPORT_NAMES,
  reportParamsSchema,
  reportToCsv,
  type ColumnKind,
  type ReportCell,
  type ReportName,
  type ReportParams,
  type ReportResult,
} from '../shared/reports';

const USAGE =
  'usage: npm run report -- <name> --from YYYY-MM-DD --to YYYY-MM-DD [--branch CODE] [--limit N] [--format table|csv]';
const FLAGS = ['from', 'to', 'branch', 'limit', 'format'] as const;

interface ReportCommand {
  readonly name: ReportName;
  readonly params: ReportParams;
  readonly format: 'table' | 'csv';
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): ReportCommand {
  const args = argv.filter((a) => a !== '--');
  const values: Record<string, string> = {};
  let name: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      if (name !== undefined) throw new UsageError(`unexpected argument "${arg}": give one report name`);
      name = arg;
      continue;
    }
    const [flag, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (!(FLAGS as readonly string[]).includes(flag)) {
      throw new UsageError(`--${flag}: unknown option; the options are ${FLAGS.map((f) => `--${f}`).join(', ')}`);
    }
    const value = inline ?? args[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`--${flag}: needs a value`);
    values[flag] = value;
  }
  if (name === undefined) throw new UsageError(`report name: missing; one of ${REPORT_NAMES.join(', ')}`);
  if (!(REPORT_NAMES as readonly string[]).includes(name)) {
    throw new UsageError(`report name: "${name}" is not a report; one of ${REPORT_NAMES.join(', ')}`);
  }
  const format = values.format ?? 'table';
  if (format !== 'table' && format !== 'csv') throw new UsageError('--format: must be table or csv');
  const parsed = reportParamsSchema.safeParse({
    from: values.from,
    to: values.to,
    branch: values.branch,
    limit: values.limit,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const given = values[String(issue.path[0])];
    throw new UsageError(`--${String(issue.path[0])}: ${given === undefined ? 'missing' : issue.message}`);
  }
  return { name: name as ReportName, params: parsed.data, format };
}

function cellText(kind: ColumnKind, value: ReportCell): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  switch (kind) {
    case 'money':
      return formatTaka(value);
    case 'milli': {
      const sign = value < 0 ? '-' : '';
      const abs = Math.abs(value);
      return `${sign}${groupLakh(String(Math.trunc(abs / 1000)))}.${String(abs % 1000).padStart(3, '0')}`;
    }
    case 'bps':
      return `${(value / 100).toFixed(2)}%`;
    case 'time':
      return formatDhakaTime(value);
    case 'int':
      return value < 0 ? `-${groupLakh(String(-value))}` : groupLakh(String(value));
    default:
      return String(value);
  }
}

const RIGHT: readonly ColumnKind[] = ['money', 'milli', 'bps', 'int'];

/** The report as a text table: a header, a rule, the rows, and a totals line where there are totals. */
function formatTable(result: ReportResult): string {
  const header = result.columns.map((c) => c.en);
  const body = result.rows.map((r) => result.columns.map((c) => cellText(c.kind, r[c.key] ?? null)));
  const hasTotals = Object.keys(result.totals).length > 0;
  const totals = result.columns.map((c, i) =>
    c.key in result.totals ? cellText(c.kind, result.totals[c.key]!) : i === 0 ? 'Total' : '',
  );
  const all = [header, ...body, ...(hasTotals ? [totals] : [])];
  const widths = header.map((_, i) => Math.max(...all.map((r) => [...r[i]!].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => {
        const pad = ' '.repeat(widths[i]! - [...cell].length);
        return RIGHT.includes(result.columns[i]!.kind) ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [line(header), rule, ...body.map(line)];
  if (hasTotals) out.push(rule, line(totals));
  if (result.rows.length === 0) out.push('(no rows)');
  return `${out.join('\n')}\n`;
}

async function main(): Promise<void> {
  let command: ReportCommand;
  try {
    command = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    process.exit(2);
  }
  const db = await openDatabase(databaseConfig(loadConfig()));
  try {
    const result = await runReport(db, command.name, command.params);
    process.stdout.write(command.format === 'csv' ? reportToCsv(result) : formatTable(result));
  } finally {
    await db.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
