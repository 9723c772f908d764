import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTaka } from '../shared/format';
import { dhakaDay } from '../shared/reports';
import { startCloudFixture, type CloudFixture } from '../cloud-worker/testing/cloud-fixture';
import { ingestScenario, reportScenario, type ReportScenario } from '../cloud-worker/testing/report-scenario';

/** `npm run report` as a process of its own, on a PGlite data folder the scenario was ingested into. */
describe('the report command', () => {
  let f: CloudFixture;
  let s: ReportScenario;
  let dir: string;

  beforeAll(async () => {
    f = await startCloudFixture('pglite', { folder: true });
    s = reportScenario();
    await ingestScenario(f, s);
    dir = f.t.config.pgliteDir!;
    // One process at a time on a PGlite folder.
    await f.t.db.close();
  }, 120_000);
  afterAll(() => f?.dispose());

  const report = (...args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, HAAT_PGLITE_DIR: dir };
    delete env.DATABASE_URL;
    return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/report.ts', ...args], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
  };

  it('prints a table with columns lined up and taka in lakh grouping', () => {
    const run = report('sales-by-branch', '--from', s.from, '--to', s.to, '--format', 'table');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Branch\s+Name\s+Sales\s+Gross/);
    const inRange = s.sales.filter((x) => dhakaDay(x.at) <= s.to);
    const dhaka = inRange.filter((x) => x.branch === 'DHK01');
    const row = lines.find((l) => l.startsWith('DHK01'))!;
    expect(row).toContain(formatTaka(dhaka.reduce((t, x) => t + x.total, 0)));
    expect(lines.at(-1)).toMatch(/^Total\s/);
    expect(lines.at(-1)).toContain(formatTaka(inRange.reduce((t, x) => t + x.total, 0)));
    // Every line is as wide as the rule under the header, so columns line up.
    const width = lines[1]!.length;
    expect(lines.filter((l) => l.startsWith('DHK01') || l.startsWith('CTG01')).map((l) => [...l].length)).toEqual([
      width,
      width,
    ]);
  });

  it('writes CSV', () => {
    const run = report('top-products', '--from', s.from, '--to', s.to, '--limit', '1', '--format', 'csv');
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\r\n');
    expect(lines[0]).toBe('Rank,SKU,Product,Net quantity,Net sales,Net VAT');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^1,RICE5,Miniket rice,/);
  });

  it('names the flag that is wrong, and runs nothing', () => {
    const cases: [string[], RegExp][] = [
      [['sales-by-day', '--from', '2026-13-01', '--to', '2026-10-03'], /^--from: must be/],
      [['sales-by-day', '--to', '2026-10-03'], /^--from: missing/],
      [['sales-by-day', '--from', '2026-10-03', '--to', '2026-10-01'], /^--to: must not be before from/],
      [['sales-by-day', '--from', '2026-10-01', '--to', '2026-10-03', '--branch', 'x'], /^--branch: /],
      [['top-products', '--from', '2026-10-01', '--to', '2026-10-03', '--limit', 'lots'], /^--limit: /],
      [['sales-by-day', '--from', '2026-10-01', '--to', '2026-10-03', '--format', 'pdf'], /^--format: /],
      [['sales-by-day', '--from', '2026-10-01', '--to', '2026-10-03', '--colour'], /^--colour: unknown option/],
      [['sales-by-week', '--from', '2026-10-01', '--to', '2026-10-03'], /^report name: "sales-by-week"/],
    ];
    for (const [args, message] of cases) {
      const run = report(...args);
      expect({ args, status: run.status }).toEqual({ args, status: 2 });
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
    }
  });
});
