import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dhakaDay,
  REPORT_CHARTS,
  REPORT_NAMES,
  reportParamsSchema,
  type ReportName,
  type ReportParams,
} from '../../shared/reports';
import { batchOf, refundEvent, saleBatches, saleEvent, tillSource, voidEvent } from '../testing/batches';
import { drain, sendBatches, startCloudFixture, type CloudFixture } from '../testing/cloud-fixture';
import {
  dhaka,
  ingestScenario,
  reportScenario,
  type ReportScenario,
  type ScenarioSale,
  type ScenarioStaff,
} from '../testing/report-scenario';
import { databaseKinds } from '../testing/test-database';
import { refreshReportRollups, runRollupRefresher } from './rollups';
import { rawSums, reportQuery, runReport } from './run-report';

/**
 * Every report against the scenario's known facts, ingested through the
 * queue and the worker. What each report must say is worked out here from
 * the scenario's objects, line by line in TypeScript, never by SQL.
 */
type Row = Record<string, string | number | null>;

function ledger(s: ReportScenario, branch?: string) {
  const inRange = (at: number) => dhakaDay(at) >= s.from && dhakaDay(at) <= s.to;
  const mine = (b: string) => branch === undefined || b === branch;
  return {
    sales: s.sales.filter((x) => inRange(x.at) && mine(x.branch)),
    voids: s.voids.filter((x) => inRange(x.at) && mine(x.branch)),
    refunds: s.refunds.filter((x) => inRange(x.at) && mine(x.branch)),
  };
}

const EMPTY = {
  sales_count: 0,
  gross: 0,
  discounts: 0,
  sales: 0,
  voids_count: 0,
  voids: 0,
  refunds_count: 0,
  refunds: 0,
  net: 0,
  vat: 0,
};

/** Sales, voids and refunds summed per key, each fact on its own day. */
function salesSummary(
  s: ReportScenario,
  key: (fact: { at: number; branch: string; cashier: ScenarioStaff }) => string,
  branch?: string,
): Map<string, typeof EMPTY> {
  const out = new Map<string, typeof EMPTY>();
  const get = (k: string) => out.get(k) ?? out.set(k, { ...EMPTY }).get(k)!;
  const l = ledger(s, branch);
  for (const x of l.sales) {
    const r = get(key(x));
    r.sales_count += 1;
    r.gross += x.subtotal;
    r.discounts += x.discountTotal;
    r.sales += x.total;
    r.net += x.total;
    r.vat += x.vatTotal;
  }
  for (const v of l.voids) {
    const r = get(key(v));
    r.voids_count += 1;
    r.voids += v.sale.total;
    r.net -= v.sale.total;
    r.vat -= v.sale.vatTotal;
  }
  for (const f of l.refunds) {
    const r = get(key(f));
    r.refunds_count += 1;
    r.refunds += f.total;
    r.net -= f.total;
    r.vat -= f.vatTotal;
  }
  return out;
}

interface ProductSums {
  quantity: number;
  gross: number;
  discounts: number;
  sales: number;
  voids: number;
  refunds: number;
  net: number;
  vat: number;
  sold: number;
  returned: number;
}

function productSummary(s: ReportScenario, branch?: string): Map<string, ProductSums> {
  const out = new Map<string, ProductSums>();
  const get = (sku: string) =>
    out.get(sku) ??
    out
      .set(sku, {
        quantity: 0,
        gross: 0,
        discounts: 0,
        sales: 0,
        voids: 0,
        refunds: 0,
        net: 0,
        vat: 0,
        sold: 0,
        returned: 0,
      })
      .get(sku)!;
  const l = ledger(s, branch);
  for (const x of l.sales) {
    for (const line of x.lines) {
      const r = get(line.product.sku);
      r.quantity += line.quantity;
      r.sold += line.quantity;
      r.gross += line.gross;
      r.discounts += line.lineDiscount + line.cartDiscountShare;
      r.sales += line.net;
      r.net += line.net;
      r.vat += line.vat;
    }
  }
  for (const v of l.voids) {
    for (const line of v.sale.lines) {
      const r = get(line.product.sku);
      r.quantity -= line.quantity;
      r.returned += line.quantity;
      r.voids += line.net;
      r.net -= line.net;
      r.vat -= line.vat;
    }
  }
  for (const f of l.refunds) {
    for (const line of f.lines) {
      const r = get(line.product.sku);
      r.quantity -= line.quantity;
      r.returned += line.quantity;
      r.refunds += line.amount;
      r.net -= line.amount;
      r.vat -= line.vat;
    }
  }
  return out;
}

function add<T extends Record<string, number>>(into: T, amounts: Partial<T>): void {
  for (const [k, v] of Object.entries(amounts)) (into as Record<string, number>)[k]! += v as number;
}

const who = (m: ScenarioStaff) => `${m.name} (${m.code})`;
const sum = (rows: readonly Row[], key: string) => rows.reduce((t, r) => t + Number(r[key] ?? 0), 0);

describe.each(databaseKinds())('reports on %s', (kind) => {
  let f: CloudFixture;
  let s: ReportScenario;
  const run = (name: ReportName, extra: Partial<Record<keyof ReportParams, string | number>> = {}) =>
    runReport(f.t.db, name, reportParamsSchema.parse({ from: s.from, to: s.to, ...extra }));

  beforeAll(async () => {
    f = await startCloudFixture(kind);
    s = reportScenario();
    await ingestScenario(f, s);
  }, 120_000);
  afterAll(() => f?.dispose());

  it('sales by day put 23:59 and 00:01 Dhaka on two days, and each void and refund on its own day', async () => {
    const result = await run('sales-by-day');
    const expected = salesSummary(s, (x) => `${dhakaDay(x.at)}|${x.branch}`);
    expect(result.rows).toEqual(
      [...expected.entries()].sort().map(([k, v]) => ({ day: k.split('|')[0], branch: k.split('|')[1], ...v })),
    );
    const [late, early] = [s.sales[1]!, s.sales[2]!];
    expect(dhakaDay(late.at)).toBe('2026-10-01');
    expect(result.rows.find((r) => r.day === '2026-10-02' && r.branch === 'DHK01')).toMatchObject({
      sales_count: 4,
    });
    expect(early.at - late.at).toBe(2 * 60_000);
    // An accountant's check: net = sales − voids − refunds, over the whole range.
    const t = result.totals;
    expect(t.net).toBe(t.sales! - t.voids! - t.refunds!);
    expect(t.sales).toBe(ledger(s).sales.reduce((a, x) => a + x.total, 0));
  });

  it('sales by branch, for all branches and for one', async () => {
    const all = await run('sales-by-branch');
    const expected = salesSummary(s, (x) => x.branch);
    expect(all.rows).toEqual([...expected.entries()].sort().map(([branch, v]) => ({ branch, name: branch, ...v })));
    const one = await run('sales-by-branch', { branch: 'CTG01' });
    expect(one.rows).toEqual([{ branch: 'CTG01', name: 'CTG01', ...expected.get('CTG01') }]);
    const byDay = await run('sales-by-day', { branch: 'CTG01' });
    expect(byDay.rows.map((r) => r.branch)).toEqual(['CTG01']);
  });

  it('sales by product and by category, with voided and refunded lines taken off', async () => {
    const products = await run('sales-by-product');
    const expected = productSummary(s);
    expect(products.rows).toEqual(
      [...expected.entries()].sort().map(([sku, v]) => {
        const p = s.products.find((x) => x.sku === sku)!;
        const { quantity, gross, discounts, sales, voids, refunds, net, vat } = v;
        return {
          sku,
          product: p.nameEn,
          category: p.category,
          quantity,
          gross,
          discounts,
          sales,
          voids,
          refunds,
          net,
          vat,
        };
      }),
    );
    const categories = await run('sales-by-category', { branch: 'DHK01' });
    const mine = productSummary(s, 'DHK01');
    const byCategory = new Map<string, Omit<ProductSums, 'quantity' | 'sold' | 'returned'>>();
    for (const [sku, v] of mine) {
      const c = s.products.find((x) => x.sku === sku)!.category;
      const r = byCategory.get(c) ?? { gross: 0, discounts: 0, sales: 0, voids: 0, refunds: 0, net: 0, vat: 0 };
      for (const k of Object.keys(r) as (keyof typeof r)[]) r[k] += v[k];
      byCategory.set(c, r);
    }
    expect(categories.rows.map(({ quantity: _q, ...r }) => r)).toEqual(
      [...byCategory.entries()].sort().map(([category, v]) => ({ category, ...v })),
    );
    expect(categories.totals.net).toBe(sum(categories.rows, 'net'));
  });

  it('top products rank by net sales and stop at the limit', async () => {
    const top = await run('top-products', { limit: 2 });
    const ranked = [...productSummary(s).entries()].sort((a, b) => b[1].net - a[1].net).slice(0, 2);
    expect(top.rows).toEqual(
      ranked.map(([sku, v], i) => ({
        rank: i + 1,
        sku,
        product: s.products.find((x) => x.sku === sku)!.nameEn,
        quantity: v.quantity,
        net: v.net,
        vat: v.vat,
      })),
    );
  });

  it('stock per branch is the sum of movements up to the last day', async () => {
    const stock = await run('stock', { branch: 'DHK01' });
    const moved = productSummary(s, 'DHK01');
    expect(stock.rows).toEqual(
      [...moved.entries()].sort().map(([sku, v]) => ({
        branch: 'DHK01',
        sku,
        product: s.products.find((x) => x.sku === sku)!.nameEn,
        sold: v.sold,
        returned: v.returned,
        on_hand: v.returned - v.sold,
      })),
    );
    // The same as the movements the ingest wrote, added up by the database itself.
    const movements = await f.t.db.query<{ sku: string; q: number }>(
      `SELECT p.sku, sum(m.quantity)::bigint AS q FROM stock_movements m JOIN products p ON p.id = m.product_id
        WHERE m.branch = 'DHK01' AND m.at < $1 GROUP BY p.sku ORDER BY p.sku`,
      [dhaka('2026-10-04', '00:00')],
    );
    expect(movements.map((m) => [m.sku, m.q])).toEqual(stock.rows.map((r) => [r.sku, r.on_hand]));
    const all = await run('stock');
    expect(new Set(all.rows.map((r) => r.branch))).toEqual(new Set(['DHK01', 'CTG01']));
  });

  it('sales by cashier, with names from the staff list', async () => {
    const result = await run('sales-by-cashier');
    const expected = salesSummary(s, (x) => `${who(x.cashier)}|${x.branch}`);
    expect(result.rows).toEqual(
      [...expected.entries()].sort().map(([k, v]) => ({ cashier: k.split('|')[0], branch: k.split('|')[1], ...v })),
    );
  });

  it('sales by payment method count a split payment in both methods and cash less its change', async () => {
    const result = await run('sales-by-payment');
    const taken = (x: ScenarioSale) => {
      const m = new Map<string, number>();
      for (const p of x.payments) m.set(p.method, (m.get(p.method) ?? 0) + p.amount);
      if (x.change > 0) m.set('cash', (m.get('cash') ?? 0) - x.change);
      return m;
    };
    const expected = new Map<string, { taken: number; voids: number; refunds: number; net: number }>();
    const get = (k: string) => expected.get(k) ?? expected.set(k, { taken: 0, voids: 0, refunds: 0, net: 0 }).get(k)!;
    const l = ledger(s);
    for (const x of l.sales) for (const [m, a] of taken(x)) add(get(m), { taken: a, net: a });
    for (const v of l.voids) for (const [m, a] of taken(v.sale)) add(get(m), { voids: a, net: -a });
    for (const r of l.refunds) add(get(r.method), { refunds: r.total, net: -r.total });
    expect(result.rows).toEqual([...expected.entries()].sort().map(([method, v]) => ({ method, ...v })));
    const split = s.sales[1]!;
    expect(split.payments.map((p) => p.method)).toEqual(['card', 'cash']);
    expect(split.change).toBeGreaterThan(0);
    // Every taka taken is a taka of some sale.
    expect(result.totals.taken).toBe(l.sales.reduce((a, x) => a + x.total, 0));
  });

  it('VAT by rate, with a refund at the rate of the line it gives back', async () => {
    const result = await run('vat-by-rate');
    const expected = new Map<number, { sales: number; voids: number; refunds: number; net: number; vat: number }>();
    const get = (k: number) =>
      expected.get(k) ?? expected.set(k, { sales: 0, voids: 0, refunds: 0, net: 0, vat: 0 }).get(k)!;
    const l = ledger(s);
    for (const x of l.sales) for (const line of x.lines) add(get(line.vatRate), { sales: line.net, vat: line.vat });
    for (const v of l.voids)
      for (const line of v.sale.lines) add(get(line.vatRate), { voids: line.net, vat: -line.vat });
    for (const r of l.refunds)
      for (const line of r.lines) {
        const rate = r.sale.lines.find((x) => x.lineNo === line.lineNo)!.vatRate;
        get(rate).refunds += line.amount;
        get(rate).vat -= line.vat;
      }
    for (const v of expected.values()) v.net = v.sales - v.voids - v.refunds;
    expect(result.rows).toEqual(
      [...expected.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([rate, v]) => ({
          rate,
          sales: v.sales,
          voids: v.voids,
          refunds: v.refunds,
          net: v.net,
          taxable: v.net - v.vat,
          vat: v.vat,
        })),
    );
  });

  it('discounts name the sale, the cashier and who approved them', async () => {
    const result = await run('discounts');
    const manager = s.staff.find((m) => m.role === 'manager')!;
    expect(result.rows).toEqual(
      ledger(s)
        .sales.filter((x) => x.discountTotal > 0)
        .map((x) => ({
          completed_at: x.at,
          branch: x.branch,
          receipt_no: x.receiptNo,
          cashier: who(x.cashier),
          line_discounts: x.discountTotal - x.cartDiscount,
          cart_discount: x.cartDiscount,
          discounts: x.discountTotal,
          approved_by: who(manager),
          voided: '',
        })),
    );
    expect(result.rows).toHaveLength(1);
  });

  it('voids and refunds, one row each, with amounts', async () => {
    const result = await run('voids-refunds');
    const l = ledger(s);
    expect(result.rows).toEqual([
      ...l.voids.map((v) => ({
        at: v.at,
        kind: 'void',
        branch: v.branch,
        receipt_no: v.sale.receiptNo,
        cashier: who(v.cashier),
        manager: who(v.manager),
        reason: 'customer changed mind',
        method: '',
        amount: v.sale.total,
        vat: v.sale.vatTotal,
      })),
      ...l.refunds.map((r) => ({
        at: r.at,
        kind: 'refund',
        branch: r.branch,
        receipt_no: r.sale.receiptNo,
        cashier: who(r.cashier),
        manager: who(r.manager),
        reason: 'damaged',
        method: r.method,
        amount: r.total,
        vat: r.vatTotal,
      })),
    ]);
  });

  it('shifts with their Z report and cash difference', async () => {
    const result = await run('shifts');
    const sh = s.shifts[0]!;
    expect(result.rows).toEqual([
      {
        branch: sh.branch,
        till_no: sh.till,
        cashier: who(sh.cashier),
        opened_at: sh.openedAt,
        closed_at: sh.closedAt,
        sales_count: sh.salesCount,
        net_sales: sh.netSales,
        opening_float: sh.openingFloat,
        expected_cash: sh.expectedCash,
        counted_cash: sh.countedCash,
        difference: sh.countedCash - sh.expectedCash,
      },
    ]);
    expect((await run('shifts', { branch: 'CTG01' })).rows).toEqual([]);
  });

  it('finds the sale rung at the old price after a price rise, and only that one', async () => {
    const result = await run('off-price-sales');
    const priceAt = (sku: string, at: number) =>
      s.products
        .find((p) => p.sku === sku)!
        .prices.filter((p) => p.from <= at)
        .at(-1)!.price;
    const expected = ledger(s).sales.flatMap((x) =>
      x.lines
        .filter((line) => line.unitPrice !== priceAt(line.product.sku, x.at))
        .map((line) => ({
          completed_at: x.at,
          branch: x.branch,
          receipt_no: x.receiptNo,
          sku: line.product.sku,
          product: line.product.nameEn,
          quantity: line.quantity,
          unit_price: line.unitPrice,
          list_price: priceAt(line.product.sku, x.at),
          difference: line.gross - Math.round((line.quantity * priceAt(line.product.sku, x.at)) / 1000),
        })),
    );
    expect(expected).toHaveLength(1);
    expect(result.rows).toEqual(expected);
  });

  it('has the columns its chart draws', async () => {
    for (const [name, chart] of Object.entries(REPORT_CHARTS)) {
      const keys = (await run(name as ReportName)).columns.map((c) => c.key);
      for (const key of [chart.x, ...chart.y, ...(chart.series ? [chart.series] : [])]) {
        expect({ name, key, found: keys.includes(key) }).toEqual({ name, key, found: true });
      }
    }
  });

  it('gives, from the rollups, what the raw tables give', async () => {
    for (const name of REPORT_NAMES) {
      for (const branch of [{}, { branch: 'DHK01' }]) {
        const params = reportParamsSchema.parse({ from: s.from, to: s.to, ...branch });
        const raw = reportQuery(name, params, rawSums);
        const fromRaw = await f.t.db.query(raw.sql, raw.values);
        expect({ name, branch, rows: (await runReport(f.t.db, name, params)).rows }).toEqual({
          name,
          branch,
          rows: fromRaw,
        });
      }
    }
  });

  it('rolls up to every till mark and still counts what arrives after', async () => {
    await run('sales-by-day');
    const marks = await f.t.db.query<{ branch: string; till_no: number; rolled_seq: number; acked_seq: number }>(
      `SELECT m.branch, m.till_no, m.rolled_seq, t.acked_seq FROM report_marks m
         JOIN tills t ON t.branch = m.branch AND t.till_no = m.till_no ORDER BY 1, 2`,
    );
    expect(marks.length).toBe(3);
    for (const m of marks) expect(m.rolled_seq).toBe(m.acked_seq);
  });

  it('catches up in steps, and in the background until stopped', async () => {
    const { queue, consumer } = await f.newQueue();
    const till = await f.addTill('CTG01', 3);
    await sendBatches(queue, till.signer, saleBatches(tillSource('CTG01', 3), 6, 3));
    await drain(consumer);
    const mark = async () =>
      (
        await f.t.db.query<{ rolled_seq: number }>(
          `SELECT rolled_seq FROM report_marks WHERE branch = 'CTG01' AND till_no = 3`,
        )
      )[0]?.rolled_seq ?? 0;
    expect(await refreshReportRollups(f.t.db, 4)).toMatchObject({ ran: true, tills: 1, above: true });
    expect(await mark()).toBe(4);
    const stop = new AbortController();
    const running = runRollupRefresher(f.t.db, stop.signal, { intervalMs: 20 });
    for (let i = 0; i < 100 && (await mark()) < 6; i++) await new Promise((r) => setTimeout(r, 20));
    stop.abort();
    await running;
    expect(await mark()).toBe(6);
    expect(await refreshReportRollups(f.t.db)).toEqual({ ran: true, tills: 0, above: false });
  });

  it('counts a void that came before its sale, and rolls it up only once the sale is here', async () => {
    const { queue, consumer } = await f.newQueue();
    const [saleTill, voidTill] = [await f.addTill('DHK01', 4), await f.addTill('DHK01', 5)];
    const sales = tillSource('DHK01', 4);
    const voids = tillSource('DHK01', 5);
    const sale = saleEvent(sales);
    if (sale.type !== 'sale.completed') throw new Error('a sale event');
    const voided = voidEvent(voids, sale.payload.saleId, sale.payload.receiptNo);
    const today = dhakaDay(Date.now());
    const day = () =>
      runReport(f.t.db, 'sales-by-day', reportParamsSchema.parse({ from: today, to: today, branch: 'DHK01' }));
    const mark = async (till: number) =>
      (
        await f.t.db.query<{ rolled_seq: number }>(
          `SELECT rolled_seq FROM report_marks WHERE branch = 'DHK01' AND till_no = $1`,
          [till],
        )
      )[0]?.rolled_seq ?? 0;

    await sendBatches(queue, voidTill.signer, [batchOf(voidTill, [voided])]);
    await drain(consumer);
    expect((await day()).rows).toEqual([{ day: today, branch: 'DHK01', ...EMPTY, voids_count: 1 }]);
    expect(await mark(5)).toBe(0);

    await sendBatches(queue, saleTill.signer, [batchOf(saleTill, [sale])]);
    await drain(consumer);
    const { total, subtotal, discountTotal } = sale.payload;
    expect((await day()).rows).toEqual([
      {
        day: today,
        branch: 'DHK01',
        ...EMPTY,
        sales_count: 1,
        gross: subtotal,
        discounts: discountTotal,
        sales: total,
        voids_count: 1,
        voids: total,
        net: 0,
        vat: 0,
      },
    ]);
    expect([await mark(4), await mark(5)]).toEqual([1, 1]);
  });

  it('gives a refund that came before its sale the VAT rate of its line once the sale is here', async () => {
    const { queue, consumer } = await f.newQueue();
    const [saleTill, refundTill] = [await f.addTill('RAJ01', 1), await f.addTill('RAJ01', 2)];
    const sale = saleEvent(tillSource('RAJ01', 1));
    if (sale.type !== 'sale.completed') throw new Error('a sale event');
    const refund = refundEvent(
      tillSource('RAJ01', 2),
      sale.payload.saleId,
      sale.payload.receiptNo,
      sale.payload.lines[0]!.productId,
    );
    if (refund.type !== 'sale.refunded') throw new Error('a refund event');
    const today = dhakaDay(Date.now());
    const vat = async () =>
      (await runReport(f.t.db, 'vat-by-rate', reportParamsSchema.parse({ from: today, to: today, branch: 'RAJ01' })))
        .rows;
    const { total: back, vatTotal: backVat } = refund.payload;

    await sendBatches(queue, refundTill.signer, [batchOf(refundTill, [refund])]);
    await drain(consumer);
    expect(await vat()).toEqual([
      { rate: null, sales: 0, voids: 0, refunds: back, net: -back, taxable: -back + backVat, vat: -backVat },
    ]);

    await sendBatches(queue, saleTill.signer, [batchOf(saleTill, [sale])]);
    await drain(consumer);
    const { total, vatTotal } = sale.payload;
    const rate = sale.payload.lines[0]!.vatRate;
    expect(sale.payload.lines.every((l) => l.vatRate === rate)).toBe(true);
    expect(await vat()).toEqual([
      {
        rate,
        sales: total,
        voids: 0,
        refunds: back,
        net: total - back,
        taxable: total - back - (vatTotal - backVat),
        vat: vatTotal - backVat,
      },
    ]);
    const marks = await f.t.db.query<{ rolled_seq: number }>(
      `SELECT rolled_seq FROM report_marks WHERE branch = 'RAJ01' ORDER BY till_no`,
    );
    expect(marks.map((m) => m.rolled_seq)).toEqual([1, 1]);
  });

  it.runIf(kind === 'postgres')('is exact while another process holds the refresher', async () => {
    const { queue, consumer } = await f.newQueue();
    const till = await f.addTill('SYL01', 1);
    const src = tillSource('SYL01', 1);
    const other = await f.t.reopen(1);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked = () => {};
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const holder = other.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(7291456)');
      locked();
      await held;
    });
    await lockTaken;
    try {
      await sendBatches(queue, till.signer, saleBatches(src, 4, 2));
      await drain(consumer);
      const today = dhakaDay(Date.now());
      const result = await runReport(
        f.t.db,
        'sales-by-branch',
        reportParamsSchema.parse({ from: today, to: today, branch: 'SYL01' }),
      );
      expect(result.rows[0]?.sales_count).toBe(4);
      const [m] = await f.t.db.query(`SELECT 1 FROM report_marks WHERE branch = 'SYL01'`);
      expect(m).toBeUndefined();
    } finally {
      release();
      await holder;
    }
  });
});
