/**
 * Report benchmark: 1,000,000 generated sales (3 lines each, about 1% voided
 * and 0.5% partly refunded) from 100 tills in 50 branches over a year, in a
 * database of its own on the real PostgreSQL server. The rollups are built
 * by the refresher the API and the report command run. Figures, p50 of
 * repeated runs:
 *
 * - `sales-by-day` for one month (every day × every branch) through
 *   runReport, beside the same report with its sums straight from the raw
 *   tables (the naive aggregate: `rawSums`, facts.ts with a time filter);
 * - `top-products` for the month, likewise.
 *
 * Goals: naive ÷ report ≥ 10 and the report under 200 ms. Both answers are
 * compared row for row before anything is timed.
 *
 *   npm run bench -- report
 *   BENCH_SALES=200000 npm run bench -- report
 *   BENCH_KEEP_DB=1 npm run bench -- report     (keeps the database, to look at plans)
 *
 * Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres)
 * only to create and drop haat_bench_report.
 */
import pg from 'pg';
import type { Database } from '../../cloud-worker/db/database';
import { openDatabase } from '../../cloud-worker/db/open';
import { refreshReportRollups } from '../../cloud-worker/reports/rollups';
import { rawSums, reportQuery, runReport } from '../../cloud-worker/reports/run-report';
import { dhakaRange, reportParamsSchema } from '../../shared/reports';
import { check, figure, percentile, type BenchResult, type Check, type Figure } from './harness';

const DB_NAME = 'haat_bench_report';
const BRANCHES = 50;
const TILLS_PER_BRANCH = 2;
const PRODUCTS = 500;
const FIRST_DAY = '2025-11-01';
const DAYS = 365;
const MONTH = { from: '2026-04-01', to: '2026-04-30' };

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

/** Everything set-based: master data, then sales, lines, payments, voids and refunds from generate_series. */
async function generate(db: Database, sales: number): Promise<void> {
  const tills = BRANCHES * TILLS_PER_BRANCH;
  const start = dhakaRange(FIRST_DAY, FIRST_DAY).start;
  const step = Math.floor((DAYS * 86_400_000) / sales);
  // Sale g is rung at till (g % tills) as its (g / tills + 1)th sale; voids and
  // refunds take sequences above every sale's.
  const perTill = Math.ceil(sales / tills);
  await db.exec(`
    INSERT INTO branches (code, name_en, change_seq)
      SELECT 'BR' || lpad(b::text, 2, '0'), 'Branch ' || b, 1 FROM generate_series(1, ${BRANCHES}) b;
    INSERT INTO tills (branch, till_no, acked_seq, highest_seq)
      SELECT 'BR' || lpad(b::text, 2, '0'), t, ${perTill * 3}, ${perTill * 3}
        FROM generate_series(1, ${BRANCHES}) b, generate_series(1, ${TILLS_PER_BRANCH}) t;
    INSERT INTO products (id, sku, name_en, name_bn, category, unit, price, vat_rate, vat_mode, change_seq)
      SELECT md5('p' || p)::uuid, 'SKU' || p, 'Product ' || p, 'পণ্য ' || p, 'category ' || (p % 20), 'piece',
             1000 + (p * 37 % 200) * 100, 500, 'inclusive', 1
        FROM generate_series(1, ${PRODUCTS}) p;
    INSERT INTO price_history (product_id, change_seq, price, changed_at)
      SELECT id, 1, price, timestamptz '2025-01-01' FROM products;
    CREATE TEMP TABLE gen_lines AS
      SELECT g, k, p, qty, price * qty / 1000 AS gross, round(price * qty / 1000 * 500 / 10500.0)::bigint AS vat, price
        FROM (SELECT g, k, 1 + (g * 7 + k * 13) % ${PRODUCTS} AS p, 1000 * (1 + (g + k) % 3) AS qty
                FROM generate_series(1, ${sales}) g, generate_series(1, 3) k) x
        CROSS JOIN LATERAL (SELECT (1000 + (x.p * 37 % 200) * 100)::bigint AS price) pr;
    INSERT INTO sale_lines (sale_id, line_no, product_id, barcode, name_en, name_bn, unit, quantity, unit_price,
                            vat_rate, vat_mode, gross, line_discount, cart_discount_share, net, vat)
      SELECT md5('s' || g)::uuid, k, md5('p' || p)::uuid, NULL, 'Product ' || p, 'পণ্য', 'piece', qty,
             price, 500, 'inclusive', gross, 0, 0, gross, vat
        FROM gen_lines;
    INSERT INTO sales (id, branch, till_no, seq, receipt_no, shift_id, cashier_id, started_at, completed_at, subtotal,
                       cart_discount, cart_discount_approved_by, discount_total, vat_total, total, cash_received, change)
      SELECT md5('s' || g)::uuid, 'BR' || lpad((1 + g % ${BRANCHES})::text, 2, '0'),
             1 + (g / ${BRANCHES}) % ${TILLS_PER_BRANCH}, g / ${tills} + 1,
             'BR' || lpad((1 + g % ${BRANCHES})::text, 2, '0') || '-' || (1 + (g / ${BRANCHES}) % ${TILLS_PER_BRANCH})
               || '-' || lpad((g / ${tills} + 1)::text, 6, '0'),
             md5('shift' || (g % ${tills}) || '-' || (g / (${tills} * 50)))::uuid, md5('c' || (g % ${tills}))::uuid,
             ${start} + g::bigint * ${step} - 60000, ${start} + g::bigint * ${step}, total, 0, NULL, 0, vat, total,
             total, 0
        FROM (SELECT g, sum(gross)::bigint AS total, sum(vat)::bigint AS vat FROM gen_lines GROUP BY g) t;
    INSERT INTO sale_payments (sale_id, payment_no, method, amount)
      SELECT id, 1, (ARRAY['cash', 'card', 'bkash', 'nagad'])[1 + seq % 4], total FROM sales;
    INSERT INTO voids (id, sale_id, branch, till_no, seq, receipt_no, shift_id, cashier_id, manager_id, reason, voided_at)
      SELECT md5('v' || s.id)::uuid, s.id, s.branch, s.till_no, s.seq + ${perTill}, s.receipt_no, s.shift_id,
             s.cashier_id, s.cashier_id, 'customer changed mind', s.completed_at + 60000
        FROM sales s WHERE s.seq % 100 = 37;
    INSERT INTO refunds (id, sale_id, branch, till_no, seq, receipt_no, shift_id, cashier_id, manager_id, method,
                         total, vat_total, reason, refunded_at)
      SELECT md5('r' || s.id)::uuid, s.id, s.branch, s.till_no, s.seq + ${2 * perTill}, s.receipt_no, s.shift_id,
             s.cashier_id, s.cashier_id, 'cash', l.net, l.vat, 'damaged', s.completed_at + 2 * 86400000
        FROM sales s JOIN sale_lines l ON l.sale_id = s.id AND l.line_no = 1 WHERE s.seq % 200 = 11;
    INSERT INTO refund_lines (refund_id, line_no, product_id, quantity, amount, vat)
      SELECT r.id, 1, l.product_id, l.quantity, l.net, l.vat
        FROM refunds r JOIN sale_lines l ON l.sale_id = r.sale_id AND l.line_no = 1;
    DROP TABLE gen_lines;
  `);
  await db.exec('ANALYZE');
}

async function p50(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push((await timed(fn)).ms);
  return percentile(samples, 50);
}

export async function report(): Promise<BenchResult> {
  const sales = Number(process.env.BENCH_SALES ?? 1_000_000);
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB_NAME}`);
  const url = new URL(adminUrl);
  url.pathname = `/${DB_NAME}`;
  const db = await openDatabase({ databaseUrl: url.toString(), poolSize: 2 });
  try {
    console.log(`  generating ${sales.toLocaleString('en-US')} sales in ${DB_NAME}…`);
    const gen = await timed(() => generate(db, sales));
    const [counts] = await db.query<{ sales: number; lines: number; voids: number; refunds: number }>(
      `SELECT (SELECT count(*) FROM sales) AS sales, (SELECT count(*) FROM sale_lines) AS lines,
              (SELECT count(*) FROM voids) AS voids, (SELECT count(*) FROM refunds) AS refunds`,
    );
    console.log(`  generated in ${(gen.ms / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);
    const build = await timed(() => refreshReportRollups(db));
    console.log(`  rollups built in ${(build.ms / 1000).toFixed(1)} s`);
    await db.exec('ANALYZE');

    const figures: Figure[] = [
      figure('sales generated', counts!.sales, 'sales'),
      figure('rollup build (refresher, all tills)', build.ms / 1000, 's'),
    ];
    const checks: Check[] = [];
    for (const name of ['sales-by-day', 'top-products'] as const) {
      const params = reportParamsSchema.parse({ ...MONTH, limit: 20 });
      const raw = reportQuery(name, params, rawSums);
      const naive = () => db.query(raw.sql, raw.values);
      const report = await runReport(db, name, params);
      if (JSON.stringify(report.rows) !== JSON.stringify(await naive())) {
        throw new Error(`${name}: the report and the raw-table aggregate disagree`);
      }
      const rows = report.rows.length;
      const reportMs = await p50(15, () => runReport(db, name, params));
      const naiveMs = await p50(5, naive);
      const ratio = figure(`${name}: naive ÷ report`, naiveMs / reportMs, '×');
      const fast = figure(`${name}: report p50 (${MONTH.from}..${MONTH.to}, ${rows} rows)`, reportMs, 'ms');
      figures.push(fast, figure(`${name}: naive raw-table aggregate p50`, naiveMs, 'ms'), ratio);
      checks.push(check(ratio, '>=', 10), check(fast, '<', 200));
    }
    return { name: 'report', figures, checks };
  } finally {
    await db.close();
    if (!process.env.BENCH_KEEP_DB) await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
    await admin.end();
  }
}
