import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dhakaDay, REPORT_NAMES, type ReportResult } from '../../../shared/reports';
import { startApi, type ApiFixture } from '../../testing/api-fixture';
import { startCloudFixture, type CloudFixture } from '../../testing/cloud-fixture';
import { ingestScenario, reportScenario, type ReportScenario } from '../../testing/report-scenario';
import { databaseKinds } from '../../testing/test-database';

describe.each(databaseKinds())('report routes on %s', (kind) => {
  let f: CloudFixture;
  let api: ApiFixture;
  let s: ReportScenario;
  const get = (url: string, headers: Record<string, string> = api.admin) =>
    api.app.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    f = await startCloudFixture(kind);
    s = reportScenario();
    await ingestScenario(f, s);
    api = await startApi(f);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await f?.dispose();
  });

  it('need a head-office session', async () => {
    for (const url of ['/v1/reports', `/v1/reports/sales-by-day?from=${s.from}&to=${s.to}`]) {
      const res = await get(url, {});
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: 'unauthorized', field: 'authorization' } });
      expect((await get(url, { authorization: 'Bearer not-a-session-token-at-all' })).statusCode).toBe(401);
    }
  });

  it('list every report with its English and Bangla title', async () => {
    const res = await get('/v1/reports');
    expect(res.statusCode).toBe(200);
    const { reports } = res.json<{ reports: { name: string; title: { en: string; bn: string } }[] }>();
    expect(reports.map((r) => r.name)).toEqual([...REPORT_NAMES]);
    expect(reports.every((r) => r.title.en.length > 0 && r.title.bn.length > 0)).toBe(true);
  });

  it('answer a report as JSON', async () => {
    const res = await get(`/v1/reports/sales-by-branch?from=${s.from}&to=${s.to}&branch=DHK01`);
    expect(res.statusCode).toBe(200);
    const result = res.json<ReportResult>();
    expect(result.name).toBe('sales-by-branch');
    expect(result.params).toEqual({ from: s.from, to: s.to, branch: 'DHK01', limit: 20 });
    const mine = s.sales.filter((x) => x.branch === 'DHK01' && dhakaDay(x.at) <= s.to);
    expect(result.totals.sales).toBe(mine.reduce((t, x) => t + x.total, 0));
    expect(result.rows).toHaveLength(1);
  });

  it('answer a report as a CSV download named by report and range', async () => {
    const res = await get(`/v1/reports/sales-by-day?from=${s.from}&to=${s.to}&format=csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="sales-by-day_${s.from}_${s.to}.csv"`);
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe(
      'Day,Branch,Sales,Gross,Discounts,Sales amount,Voids,Voided,Refunds,Refunded,Net sales,Net VAT',
    );
    const first = s.sales.filter((x) => x.branch === 'CTG01' && dhakaDay(x.at) === s.from);
    const total = first.reduce((t, x) => t + x.total, 0);
    expect(lines).toContain(
      `${s.from},CTG01,${first.length},${(first.reduce((t, x) => t + x.subtotal, 0) / 100).toFixed(2)},0.00,${(total / 100).toFixed(2)},0,0.00,0,0.00,${(total / 100).toFixed(2)},${(first.reduce((t, x) => t + x.vatTotal, 0) / 100).toFixed(2)}`,
    );
    const one = await get(`/v1/reports/stock?from=${s.to}&to=${s.to}&branch=CTG01&format=csv`);
    expect(one.headers['content-disposition']).toBe(`attachment; filename="stock_${s.to}_CTG01.csv"`);
  });

  it('refuse bad parameters with a 400 naming the field', async () => {
    const cases: [string, string][] = [
      [`/v1/reports/sales-by-year?from=${s.from}&to=${s.to}`, 'params.name'],
      [`/v1/reports/sales-by-day?from=2026-02-30&to=${s.to}`, 'query.from'],
      [`/v1/reports/sales-by-day?to=${s.to}`, 'query.from'],
      [`/v1/reports/sales-by-day?from=${s.to}&to=${s.from}`, 'query.to'],
      [`/v1/reports/sales-by-day?from=2024-01-01&to=2026-01-01`, 'query.to'],
      [`/v1/reports/sales-by-day?from=${s.from}&to=${s.to}&branch=dhk01`, 'query.branch'],
      [`/v1/reports/top-products?from=${s.from}&to=${s.to}&limit=0`, 'query.limit'],
      [`/v1/reports/top-products?from=${s.from}&to=${s.to}&limit=ten`, 'query.limit'],
      [`/v1/reports/sales-by-day?from=${s.from}&to=${s.to}&format=xlsx`, 'query.format'],
    ];
    for (const [url, field] of cases) {
      const res = await get(url);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 400 });
      expect(res.json()).toMatchObject({ error: { code: 'invalid-field', field } });
    }
  });
});
