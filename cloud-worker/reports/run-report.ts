import {
  dhakaRange,
  type ColumnKind,
  type ReportCell,
  type ReportColumn,
  type ReportName,
  type ReportParams,
  type ReportResult,
} from '../../shared/reports';
import type { Database } from '../db/database';
import { dhakaDaySql, factSums, UNKNOWN_RATE, type Level } from './facts';
import { readSums, refreshReportRollups, type SumsQuery } from './rollups';

/**
 * Head office's reports on the central database. Every sales report counts
 * the same way (docs/reports.md): each sale, void and refund on its own Dhaka
 * day, and net = sales − voids − refunds, so that the reports add up to one
 * another and to the tills' Z reports.
 *
 * Parameters travel as $1 from day, $2 to day, $3 branch (or null), $4 range
 * start and $5 range end in Unix ms, $6 limit.
 */
interface ColumnSpec extends ReportColumn {
  /** Summed into the totals (money, counts, quantities of one unit). */
  readonly total?: boolean;
}

/**
 * Where a sales report takes its sums per day and key from: the rollups
 * (with or without the facts above the marks), or the raw tables.
 */
export type SumsReader = (level: Level, q: SumsQuery) => string;

interface Definition {
  readonly columns: readonly ColumnSpec[];
  /** The SQL, for reports built on sums per day (read from the rollups, brought up to date first). */
  readonly sql: string | ((sums: SumsReader) => string);
}

function col(key: string, kind: ColumnKind, en: string, bn: string, total = false): ColumnSpec {
  return { key, kind, en, bn, total };
}

const FROM_DAY = '$1::date';
const TO_DAY = '$2::date';
const BRANCH = '$3::text';
const START = '$4::bigint';
const END = '$5::bigint';
const LIMIT = '$6::int';

/** The columns every sales summary ends with, and the SQL that fills them from summed measures. */
const SALES_COLUMNS = [
  col('sales_count', 'int', 'Sales', 'বিক্রির সংখ্যা', true),
  col('gross', 'money', 'Gross', 'মোট (ছাড়ের আগে)', true),
  col('discounts', 'money', 'Discounts', 'ছাড়', true),
  col('sales', 'money', 'Sales amount', 'বিক্রির পরিমাণ', true),
  col('voids_count', 'int', 'Voids', 'বাতিলের সংখ্যা', true),
  col('voids', 'money', 'Voided', 'বাতিল', true),
  col('refunds_count', 'int', 'Refunds', 'ফেরতের সংখ্যা', true),
  col('refunds', 'money', 'Refunded', 'ফেরত', true),
  col('net', 'money', 'Net sales', 'নিট বিক্রি', true),
  col('vat', 'money', 'Net VAT', 'নিট ভ্যাট', true),
];
const SALES_SUMS = `sum(sales_count)::bigint AS sales_count, sum(gross)::bigint AS gross,
  sum(discounts)::bigint AS discounts, sum(sales)::bigint AS sales, sum(voids_count)::bigint AS voids_count,
  sum(voids)::bigint AS voids, sum(refunds_count)::bigint AS refunds_count, sum(refunds)::bigint AS refunds,
  sum(sales - voids - refunds)::bigint AS net, sum(sales_vat - voids_vat - refunds_vat)::bigint AS vat`;

const PRODUCT_COLUMNS = [
  col('quantity', 'milli', 'Net quantity', 'নিট পরিমাণ'),
  col('gross', 'money', 'Gross', 'মোট (ছাড়ের আগে)', true),
  col('discounts', 'money', 'Discounts', 'ছাড়', true),
  col('sales', 'money', 'Sales amount', 'বিক্রির পরিমাণ', true),
  col('voids', 'money', 'Voided', 'বাতিল', true),
  col('refunds', 'money', 'Refunded', 'ফেরত', true),
  col('net', 'money', 'Net sales', 'নিট বিক্রি', true),
  col('vat', 'money', 'Net VAT', 'নিট ভ্যাট', true),
];
const PRODUCT_SUMS = `sum(quantity - void_quantity - refund_quantity)::bigint AS quantity, sum(gross)::bigint AS gross,
  sum(discounts)::bigint AS discounts, sum(sales)::bigint AS sales, sum(voids)::bigint AS voids,
  sum(refunds)::bigint AS refunds, sum(sales - voids - refunds)::bigint AS net,
  sum(sales_vat - voids_vat - refunds_vat)::bigint AS vat`;

const RANGE = { from: FROM_DAY, to: TO_DAY, branch: null, perBranch: false } as const;
const branchSums = (sums: SumsReader) => sums('branch', RANGE);
/** `$3` may be null (all branches). */
const branchWhere = (col: string) => `(${BRANCH} IS NULL OR ${col} = ${BRANCH})`;

const PRODUCT_NAME = [col('sku', 'text', 'SKU', 'এসকেইউ'), col('product', 'text', 'Product', 'পণ্য')];

function productReport(branch: boolean, select: string): (sums: SumsReader) => string {
  return (sums) => select.replace('%SUMS%', () => sums('product', { ...RANGE, branch: branch ? BRANCH : null }));
}

const CASHIER_NAME = (id: string) =>
  `coalesce((SELECT k.name || ' (' || k.code || ')' FROM cashiers k WHERE k.id = ${id}), ${id}::text)`;

const DEFINITIONS: Record<ReportName, Definition | ((branch: boolean) => Definition)> = {
  'sales-by-day': {
    columns: [col('day', 'day', 'Day', 'দিন'), col('branch', 'text', 'Branch', 'শাখা'), ...SALES_COLUMNS],
    sql: (sums) => `SELECT day::text AS day, branch, ${SALES_SUMS} FROM (${branchSums(sums)}) s
           WHERE ${branchWhere('branch')} GROUP BY day, branch ORDER BY day, branch`,
  },
  'sales-by-branch': {
    columns: [col('branch', 'text', 'Branch', 'শাখা'), col('name', 'text', 'Name', 'নাম'), ...SALES_COLUMNS],
    sql: (sums) => `SELECT s.branch, coalesce(b.name_en, '') AS name, ${SALES_SUMS} FROM (${branchSums(sums)}) s
            LEFT JOIN branches b ON b.code = s.branch
           WHERE ${branchWhere('s.branch')} GROUP BY s.branch, b.name_en ORDER BY s.branch`,
  },
  'sales-by-product': (branch) => ({
    columns: [...PRODUCT_NAME, col('category', 'text', 'Category', 'ক্যাটাগরি'), ...PRODUCT_COLUMNS],
    sql: productReport(
      branch,
      `SELECT coalesce(p.sku, s.product_id::text) AS sku, coalesce(p.name_en, '') AS product,
              coalesce(p.category, '') AS category, ${PRODUCT_SUMS}
         FROM (%SUMS%) s LEFT JOIN products p ON p.id = s.product_id
        GROUP BY s.product_id, p.sku, p.name_en, p.category ORDER BY sku`,
    ),
  }),
  'sales-by-category': (branch) => ({
    columns: [col('category', 'text', 'Category', 'ক্যাটাগরি'), ...PRODUCT_COLUMNS.slice(1)],
    sql: productReport(
      branch,
      `SELECT coalesce(p.category, '') AS category, ${PRODUCT_SUMS}
         FROM (%SUMS%) s LEFT JOIN products p ON p.id = s.product_id
        GROUP BY coalesce(p.category, '') ORDER BY category`,
    ),
  }),
  'top-products': (branch) => ({
    columns: [
      col('rank', 'int', 'Rank', 'ক্রম'),
      ...PRODUCT_NAME,
      col('quantity', 'milli', 'Net quantity', 'নিট পরিমাণ'),
      col('net', 'money', 'Net sales', 'নিট বিক্রি', true),
      col('vat', 'money', 'Net VAT', 'নিট ভ্যাট', true),
    ],
    sql: productReport(
      branch,
      `SELECT (row_number() OVER (ORDER BY t.net DESC, p.sku))::int AS rank,
              coalesce(p.sku, t.product_id::text) AS sku, coalesce(p.name_en, '') AS product, t.quantity, t.net, t.vat
         FROM (SELECT product_id, ${PRODUCT_SUMS} FROM (%SUMS%) s GROUP BY product_id
                ORDER BY net DESC, product_id LIMIT ${LIMIT}) t
         LEFT JOIN products p ON p.id = t.product_id
        ORDER BY rank`,
    ),
  }),
  stock: (branch) => ({
    columns: [
      col('branch', 'text', 'Branch', 'শাখা'),
      ...PRODUCT_NAME,
      col('sold', 'milli', 'Sold in range', 'সময়ে বিক্রি'),
      col('returned', 'milli', 'Returned in range', 'সময়ে ফেরত/বাতিল'),
      col('on_hand', 'milli', 'Stock at end', 'শেষে মজুত'),
    ],
    // Stock is the sum of movements: −sold, +voided, +refunded, each on its
    // own day (as in stock_movements), up to the end of `to`.
    sql: (sums) => `SELECT s.branch, coalesce(p.sku, s.product_id::text) AS sku, coalesce(p.name_en, '') AS product,
                 sum(CASE WHEN s.day >= ${FROM_DAY} THEN s.quantity ELSE 0 END)::bigint AS sold,
                 sum(CASE WHEN s.day >= ${FROM_DAY} THEN s.void_quantity + s.refund_quantity ELSE 0 END)::bigint AS returned,
                 sum(s.void_quantity + s.refund_quantity - s.quantity)::bigint AS on_hand
            FROM (${sums('product', { from: null, to: TO_DAY, branch: branch ? BRANCH : null, perBranch: true })}) s
            LEFT JOIN products p ON p.id = s.product_id
           GROUP BY s.branch, s.product_id, p.sku, p.name_en ORDER BY s.branch, sku`,
  }),
  'sales-by-cashier': {
    columns: [col('cashier', 'text', 'Cashier', 'ক্যাশিয়ার'), col('branch', 'text', 'Branch', 'শাখা'), ...SALES_COLUMNS],
    sql: (sums) => `SELECT ${CASHIER_NAME('s.cashier_id')} AS cashier, s.branch, ${SALES_SUMS}
            FROM (${sums('cashier', RANGE)}) s WHERE ${branchWhere('s.branch')}
           GROUP BY s.cashier_id, s.branch ORDER BY cashier, s.branch`,
  },
  'sales-by-payment': {
    columns: [
      col('method', 'text', 'Payment method', 'পেমেন্ট পদ্ধতি'),
      col('taken', 'money', 'Taken', 'গ্রহণ', true),
      col('voids', 'money', 'Voided', 'বাতিল', true),
      col('refunds', 'money', 'Refunded', 'ফেরত', true),
      col('net', 'money', 'Net', 'নিট', true),
    ],
    // Cash tendered above the total came back as change: what a method took
    // is its payments less, for cash, the change.
    sql: (sums) => `SELECT method, sum(taken)::bigint AS taken, sum(voids)::bigint AS voids,
                  sum(refunds)::bigint AS refunds, sum(taken - voids - refunds)::bigint AS net
             FROM (${sums('payment', RANGE)}) s WHERE ${branchWhere('branch')}
            GROUP BY method ORDER BY method`,
  },
  'vat-by-rate': {
    columns: [
      col('rate', 'bps', 'VAT rate %', 'ভ্যাট হার %'),
      col('sales', 'money', 'Sales amount', 'বিক্রির পরিমাণ', true),
      col('voids', 'money', 'Voided', 'বাতিল', true),
      col('refunds', 'money', 'Refunded', 'ফেরত', true),
      col('net', 'money', 'Net sales', 'নিট বিক্রি', true),
      col('taxable', 'money', 'Net before VAT', 'ভ্যাটের আগে নিট', true),
      col('vat', 'money', 'Net VAT', 'নিট ভ্যাট', true),
    ],
    // A refund line is a part of a sold line (same line number), whose rate
    // it takes; unknown (empty) until that sale is here.
    sql: (
      sums,
    ) => `SELECT nullif(rate, ${UNKNOWN_RATE}) AS rate, sum(sales)::bigint AS sales, sum(voids)::bigint AS voids,
                  sum(refunds)::bigint AS refunds, sum(sales - voids - refunds)::bigint AS net,
                  sum(sales - voids - refunds - (sales_vat - voids_vat - refunds_vat))::bigint AS taxable,
                  sum(sales_vat - voids_vat - refunds_vat)::bigint AS vat
             FROM (${sums('vat', RANGE)}) s WHERE ${branchWhere('branch')}
            GROUP BY rate ORDER BY rate NULLS LAST`,
  },
  discounts: {
    columns: [
      col('completed_at', 'time', 'Time', 'সময়'),
      col('branch', 'text', 'Branch', 'শাখা'),
      col('receipt_no', 'text', 'Receipt', 'রসিদ'),
      col('cashier', 'text', 'Cashier', 'ক্যাশিয়ার'),
      col('line_discounts', 'money', 'Line discounts', 'লাইন ছাড়', true),
      col('cart_discount', 'money', 'Cart discount', 'কার্ট ছাড়', true),
      col('discounts', 'money', 'Discounts', 'ছাড়', true),
      col('approved_by', 'text', 'Approved by', 'অনুমোদনকারী'),
      col('voided', 'text', 'Voided', 'বাতিল'),
    ],
    sql: `SELECT x.completed_at, x.branch, x.receipt_no, ${CASHIER_NAME('x.cashier_id')} AS cashier,
                 (x.discount_total - x.cart_discount)::bigint AS line_discounts, x.cart_discount,
                 x.discount_total AS discounts,
                 coalesce((SELECT string_agg(DISTINCT ${CASHIER_NAME('a.id')}, ', ')
                             FROM (SELECT x.cart_discount_approved_by AS id
                                   UNION SELECT l.discount_approved_by FROM sale_lines l WHERE l.sale_id = x.id) a
                            WHERE a.id IS NOT NULL), '') AS approved_by,
                 CASE WHEN EXISTS (SELECT 1 FROM voids v WHERE v.sale_id = x.id) THEN 'yes' ELSE '' END AS voided
            FROM sales x
           WHERE x.completed_at >= ${START} AND x.completed_at < ${END} AND ${branchWhere('x.branch')}
             AND x.discount_total > 0
           ORDER BY x.completed_at, x.receipt_no`,
  },
  'voids-refunds': {
    columns: [
      col('at', 'time', 'Time', 'সময়'),
      col('kind', 'text', 'Kind', 'ধরন'),
      col('branch', 'text', 'Branch', 'শাখা'),
      col('receipt_no', 'text', 'Receipt', 'রসিদ'),
      col('cashier', 'text', 'Cashier', 'ক্যাশিয়ার'),
      col('manager', 'text', 'Approved by', 'অনুমোদনকারী'),
      col('reason', 'text', 'Reason', 'কারণ'),
      col('method', 'text', 'Refunded by', 'ফেরতের পদ্ধতি'),
      col('amount', 'money', 'Amount', 'পরিমাণ', true),
      col('vat', 'money', 'VAT', 'ভ্যাট', true),
    ],
    sql: `SELECT * FROM (
            SELECT x.voided_at AS at, 'void' AS kind, x.branch, x.receipt_no, ${CASHIER_NAME('x.cashier_id')} AS cashier,
                   ${CASHIER_NAME('x.manager_id')} AS manager, x.reason, '' AS method, s.total AS amount, s.vat_total AS vat
              FROM voids x LEFT JOIN sales s ON s.id = x.sale_id
             WHERE x.voided_at >= ${START} AND x.voided_at < ${END} AND ${branchWhere('x.branch')}
            UNION ALL
            SELECT x.refunded_at, 'refund', x.branch, x.receipt_no, ${CASHIER_NAME('x.cashier_id')},
                   ${CASHIER_NAME('x.manager_id')}, x.reason, x.method, x.total, x.vat_total
              FROM refunds x
             WHERE x.refunded_at >= ${START} AND x.refunded_at < ${END} AND ${branchWhere('x.branch')}) e
           ORDER BY at, receipt_no`,
  },
  shifts: {
    columns: [
      col('branch', 'text', 'Branch', 'শাখা'),
      col('till_no', 'int', 'Till', 'টিল'),
      col('cashier', 'text', 'Cashier', 'ক্যাশিয়ার'),
      col('opened_at', 'time', 'Opened', 'শুরু'),
      col('closed_at', 'time', 'Closed', 'শেষ'),
      col('sales_count', 'int', 'Sales', 'বিক্রির সংখ্যা', true),
      col('net_sales', 'money', 'Net sales (Z)', 'নিট বিক্রি (জেড)', true),
      col('opening_float', 'money', 'Opening float', 'শুরুর নগদ', true),
      col('expected_cash', 'money', 'Expected cash', 'প্রত্যাশিত নগদ', true),
      col('counted_cash', 'money', 'Counted cash', 'গোনা নগদ', true),
      col('difference', 'money', 'Difference', 'পার্থক্য', true),
    ],
    // A shift counts on the day it opened; a close that came before its open still shows.
    sql: `SELECT * FROM (
            SELECT coalesce(s.branch, c.branch) AS branch, coalesce(s.till_no, c.till_no) AS till_no,
                   ${CASHIER_NAME('coalesce(s.cashier_id, c.cashier_id)')} AS cashier,
                   coalesce(s.opened_at, c.opened_at) AS opened_at, c.closed_at,
                   (c.z_report ->> 'salesCount')::bigint AS sales_count, (c.z_report ->> 'netSales')::bigint AS net_sales,
                   coalesce(s.opening_float, (c.z_report ->> 'openingFloat')::bigint) AS opening_float,
                   c.expected_cash, c.counted_cash, c.difference
              FROM (SELECT * FROM shifts WHERE opened_at >= ${START} AND opened_at < ${END}) s
              FULL JOIN (SELECT * FROM shift_closes WHERE opened_at >= ${START} AND opened_at < ${END}) c
                ON c.shift_id = s.id) z
           WHERE ${branchWhere('z.branch')}
           ORDER BY opened_at, branch, till_no`,
  },
  'off-price-sales': {
    columns: [
      col('completed_at', 'time', 'Time', 'সময়'),
      col('branch', 'text', 'Branch', 'শাখা'),
      col('receipt_no', 'text', 'Receipt', 'রসিদ'),
      ...PRODUCT_NAME,
      col('quantity', 'milli', 'Quantity', 'পরিমাণ'),
      col('unit_price', 'money', 'Sold at', 'বিক্রির দাম'),
      col('list_price', 'money', 'Price then', 'তখনকার দাম'),
      col('difference', 'money', 'Difference', 'পার্থক্য', true),
    ],
    // The price in effect is the newest price_history row at the sale's
    // (device) time; a till that had not pulled the change sold at the old one.
    sql: `SELECT x.completed_at, x.branch, x.receipt_no, coalesce(p.sku, l.product_id::text) AS sku, l.name_en AS product,
                 l.quantity, l.unit_price, h.price AS list_price,
                 (l.gross - round(l.quantity * h.price / 1000.0))::bigint AS difference
            FROM sales x JOIN sale_lines l ON l.sale_id = x.id
            CROSS JOIN LATERAL (
              SELECT price FROM price_history ph
               WHERE ph.product_id = l.product_id AND ph.changed_at <= to_timestamp(x.completed_at / 1000.0)
               ORDER BY ph.changed_at DESC, ph.change_seq DESC LIMIT 1) h
            LEFT JOIN products p ON p.id = l.product_id
           WHERE x.completed_at >= ${START} AND x.completed_at < ${END} AND ${branchWhere('x.branch')}
             AND l.unit_price <> h.price
           ORDER BY x.completed_at, x.receipt_no, l.line_no`,
  },
  'offline-tenders': {
    columns: [
      col('day', 'day', 'Day', 'দিন'),
      col('branch', 'text', 'Branch', 'শাখা'),
      col('till_no', 'int', 'Till', 'টিল'),
      col('method', 'text', 'Method', 'পদ্ধতি'),
      col('sales_count', 'int', 'Sales', 'বিক্রির সংখ্যা', true),
      col('amount', 'money', 'Taken offline', 'অফলাইনে নেওয়া', true),
      col('approved_count', 'int', 'Over a cap, manager approved', 'সীমার বেশি, ম্যানেজার অনুমোদিত', true),
      col('voided', 'money', 'Of it voided', 'এর মধ্যে বাতিল', true),
    ],
    // What each till took by card, bKash and Nagad while it could not reach
    // head office: the money the branch's offline caps limit, per business day.
    sql: `SELECT ${dhakaDaySql('x.completed_at')}::text AS day, x.branch, x.till_no, p.method,
                 count(DISTINCT x.id)::bigint AS sales_count, sum(p.amount)::bigint AS amount,
                 count(DISTINCT x.id) FILTER (WHERE x.tender_approved_by IS NOT NULL)::bigint AS approved_count,
                 coalesce(sum(p.amount) FILTER (WHERE EXISTS (SELECT 1 FROM voids v WHERE v.sale_id = x.id)), 0)::bigint AS voided
            FROM sales x JOIN sale_payments p ON p.sale_id = x.id
           WHERE x.offline AND p.method <> 'cash'
             AND x.completed_at >= ${START} AND x.completed_at < ${END} AND ${branchWhere('x.branch')}
           GROUP BY 1, x.branch, x.till_no, p.method
           ORDER BY day, x.branch, x.till_no, p.method`,
  },
};

function definition(name: ReportName, branch: boolean): Definition {
  const d = DEFINITIONS[name];
  return typeof d === 'function' ? d(branch) : d;
}

/**
 * The sums straight from the raw tables, in the days and branch asked: the
 * same report without the rollups (the benchmark's baseline, and what the
 * tests hold the rollups to).
 */
export const rawSums: SumsReader = (level, q) =>
  `SELECT * FROM (${factSums(level, {
    by: 'time',
    start: q.from === null ? '(-9223372036854775807)::bigint' : START,
    end: END,
    branch: q.branch ?? undefined,
  })}) raw`;

/** The SQL of a report and its parameters; `sums` says where sums per day come from (the rollups and what is above their marks by default). */
export function reportQuery(
  name: ReportName,
  params: ReportParams,
  sums: SumsReader = (level, q) => readSums(level, q, true),
): { sql: string; values: unknown[] } {
  const { start, end } = dhakaRange(params.from, params.to);
  const { sql } = definition(name, params.branch !== undefined);
  return {
    sql: withParams(typeof sql === 'string' ? sql : sql(sums)),
    values: [params.from, params.to, params.branch ?? null, start, end, params.limit],
  };
}

/**
 * Runs one report. One built on the rollups brings them up to date first;
 * when that leaves nothing above any till's mark, the rollups alone are the
 * exact answer (as of that moment), and the query skips the raw tables.
 */
export async function runReport(db: Database, name: ReportName, params: ReportParams): Promise<ReportResult> {
  const def = definition(name, params.branch !== undefined);
  let above = true;
  if (typeof def.sql !== 'string') above = (await refreshReportRollups(db)).above;
  const { sql, values } = reportQuery(name, params, (level, q) => readSums(level, q, above));
  const rows = await db.query<Record<string, ReportCell>>(sql, values);
  return resultOf(name, params, def.columns, rows);
}

/**
 * Every report is sent all six parameters; a CTE that names them all gives
 * each its type even where the report does not use it (the server refuses a
 * parameter whose type it cannot tell).
 */
const PARAMS_CTE = `params AS (SELECT ${FROM_DAY}, ${TO_DAY}, ${BRANCH}, ${START}, ${END}, ${LIMIT})`;

function withParams(sql: string): string {
  return /^\s*WITH\s/i.test(sql)
    ? sql.replace(/^\s*WITH\s/i, () => `WITH ${PARAMS_CTE}, `)
    : `WITH ${PARAMS_CTE} ${sql}`;
}

function resultOf(
  name: ReportName,
  params: ReportParams,
  specs: readonly ColumnSpec[],
  rows: readonly Record<string, ReportCell>[],
): ReportResult {
  const totals: Record<string, number> = {};
  for (const c of specs) {
    if (c.total)
      totals[c.key] = rows.reduce((s, r) => s + (typeof r[c.key] === 'number' ? (r[c.key] as number) : 0), 0);
  }
  const columns = specs.map(({ key, kind, en, bn }) => ({ key, kind, en, bn }));
  return { name, params, columns, rows, totals, generatedAt: Date.now() };
}
