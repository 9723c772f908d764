/**
 * The sales facts as report rows, in SQL: every sale, void and refund as one
 * row (or one row per line) with the same measures, so that one GROUP BY
 * adds them up. The rollups are built from these rows, a report adds these
 * rows for what the rollups do not hold yet, and the raw-table reports and
 * the benchmark's baseline group them straight from the tables: every path
 * counts a sale, a void and a refund the same way (docs/reports.md).
 *
 * Each fact counts on its own Dhaka day: a sale on the day it was completed,
 * a void on the day it was voided, with the voided sale's amounts, a refund
 * on the day it was refunded.
 */

/** The Dhaka business day of a Unix-ms column, without time-zone data (Dhaka is UTC+6 all year). */
export function dhakaDaySql(column: string): string {
  return `(date '1970-01-01' + ((${column} + 21600000) / 86400000)::int)`;
}

export const BRANCH_MEASURES = [
  'sales_count',
  'gross',
  'discounts',
  'sales',
  'sales_vat',
  'voids_count',
  'voids',
  'voids_vat',
  'refunds_count',
  'refunds',
  'refunds_vat',
] as const;

export const PRODUCT_MEASURES = [
  'quantity',
  'gross',
  'discounts',
  'sales',
  'sales_vat',
  'void_quantity',
  'voids',
  'voids_vat',
  'refund_quantity',
  'refunds',
  'refunds_vat',
] as const;

export const PAYMENT_MEASURES = ['taken', 'voids', 'refunds'] as const;
export const VAT_MEASURES = ['sales', 'sales_vat', 'voids', 'voids_vat', 'refunds', 'refunds_vat'] as const;

export type Level = 'branch' | 'cashier' | 'product' | 'payment' | 'vat';

/** What sale `alias` took in each method: its payments, less the change for cash. */
const taken = (alias: string) => `CROSS JOIN LATERAL (
  SELECT p.method, p.amount FROM sale_payments p WHERE p.sale_id = ${alias}.id
  UNION ALL SELECT 'cash', -${alias}.change WHERE ${alias}.change > 0) t`;

/** A refund line's VAT rate is its sold line's; -1 until that sale is here. */
export const UNKNOWN_RATE = -1;

/**
 * Which facts to take. Either the seq ranges of each till in a relation
 * `ranges (branch, till_no, lo, hi)` (lo < seq <= hi), or a time range in
 * Unix ms given by two SQL expressions.
 */
export type FactFilter =
  | { readonly by: 'ranges' }
  | { readonly by: 'time'; readonly start: string; readonly end: string; readonly branch?: string };

interface Source {
  /** FROM clause; the fact is `x`, its sale (for a void) `s`. */
  readonly from: (filter: FactFilter) => string;
  readonly day: string;
  readonly keys: Record<string, string>;
  readonly measures: Record<string, string>;
}

function where(filter: FactFilter, time: string): string {
  if (filter.by === 'ranges') return '';
  const branch = filter.branch ? ` AND x.branch = ${filter.branch}` : '';
  return `WHERE x.${time} >= ${filter.start} AND x.${time} < ${filter.end}${branch}`;
}

/**
 * The table as `x`. By ranges, each till's range is read through the
 * (branch, till_no, seq) index: a lateral join that OFFSET 0 keeps from
 * being flattened, so that the planner cannot trade the few rows above the
 * marks for a scan of the whole table.
 */
function table(name: string, filter: FactFilter): string {
  if (filter.by === 'time') return `${name} x`;
  return `ranges r CROSS JOIN LATERAL (SELECT * FROM ${name} y
            WHERE y.branch = r.branch AND y.till_no = r.till_no AND y.seq > r.lo AND y.seq <= r.hi OFFSET 0) x`;
}

const SOURCES: Record<Exclude<Level, 'cashier'>, Source[]> = {
  branch: [
    {
      from: (f) => `${table('sales', f)} ${where(f, 'completed_at')}`,
      day: 'x.completed_at',
      keys: { branch: 'x.branch', cashier_id: 'x.cashier_id' },
      measures: {
        sales_count: '1',
        gross: 'x.subtotal',
        discounts: 'x.discount_total',
        sales: 'x.total',
        sales_vat: 'x.vat_total',
      },
    },
    {
      from: (f) => `${table('voids', f)} LEFT JOIN sales s ON s.id = x.sale_id ${where(f, 'voided_at')}`,
      day: 'x.voided_at',
      keys: { branch: 'x.branch', cashier_id: 'x.cashier_id' },
      measures: { voids_count: '1', voids: 'coalesce(s.total, 0)', voids_vat: 'coalesce(s.vat_total, 0)' },
    },
    {
      from: (f) => `${table('refunds', f)} ${where(f, 'refunded_at')}`,
      day: 'x.refunded_at',
      keys: { branch: 'x.branch', cashier_id: 'x.cashier_id' },
      measures: { refunds_count: '1', refunds: 'x.total', refunds_vat: 'x.vat_total' },
    },
  ],
  product: [
    {
      from: (f) => `${table('sales', f)} JOIN sale_lines l ON l.sale_id = x.id ${where(f, 'completed_at')}`,
      day: 'x.completed_at',
      keys: { branch: 'x.branch', product_id: 'l.product_id' },
      measures: {
        quantity: 'l.quantity',
        gross: 'l.gross',
        discounts: 'l.line_discount + l.cart_discount_share',
        sales: 'l.net',
        sales_vat: 'l.vat',
      },
    },
    {
      from: (f) => `${table('voids', f)} JOIN sale_lines l ON l.sale_id = x.sale_id ${where(f, 'voided_at')}`,
      day: 'x.voided_at',
      keys: { branch: 'x.branch', product_id: 'l.product_id' },
      measures: { void_quantity: 'l.quantity', voids: 'l.net', voids_vat: 'l.vat' },
    },
    {
      from: (f) => `${table('refunds', f)} JOIN refund_lines l ON l.refund_id = x.id ${where(f, 'refunded_at')}`,
      day: 'x.refunded_at',
      keys: { branch: 'x.branch', product_id: 'l.product_id' },
      measures: { refund_quantity: 'l.quantity', refunds: 'l.amount', refunds_vat: 'l.vat' },
    },
  ],
  payment: [
    {
      from: (f) => `${table('sales', f)} ${taken('x')} ${where(f, 'completed_at')}`,
      day: 'x.completed_at',
      keys: { branch: 'x.branch', method: 't.method' },
      measures: { taken: 't.amount' },
    },
    {
      from: (f) => `${table('voids', f)} JOIN sales s ON s.id = x.sale_id ${taken('s')} ${where(f, 'voided_at')}`,
      day: 'x.voided_at',
      keys: { branch: 'x.branch', method: 't.method' },
      measures: { voids: 't.amount' },
    },
    {
      from: (f) => `${table('refunds', f)} ${where(f, 'refunded_at')}`,
      day: 'x.refunded_at',
      keys: { branch: 'x.branch', method: 'x.method' },
      measures: { refunds: 'x.total' },
    },
  ],
  vat: [
    {
      from: (f) => `${table('sales', f)} JOIN sale_lines l ON l.sale_id = x.id ${where(f, 'completed_at')}`,
      day: 'x.completed_at',
      keys: { branch: 'x.branch', rate: 'l.vat_rate' },
      measures: { sales: 'l.net', sales_vat: 'l.vat' },
    },
    {
      from: (f) => `${table('voids', f)} JOIN sale_lines l ON l.sale_id = x.sale_id ${where(f, 'voided_at')}`,
      day: 'x.voided_at',
      keys: { branch: 'x.branch', rate: 'l.vat_rate' },
      measures: { voids: 'l.net', voids_vat: 'l.vat' },
    },
    {
      from: (f) =>
        `${table('refunds', f)} JOIN refund_lines l ON l.refund_id = x.id
         LEFT JOIN sale_lines sl ON sl.sale_id = x.sale_id AND sl.line_no = l.line_no ${where(f, 'refunded_at')}`,
      day: 'x.refunded_at',
      keys: { branch: 'x.branch', rate: `coalesce(sl.vat_rate, ${UNKNOWN_RATE})` },
      measures: { refunds: 'l.amount', refunds_vat: 'l.vat' },
    },
  ],
};

const MEASURES: Record<Level, readonly string[]> = {
  branch: BRANCH_MEASURES,
  product: PRODUCT_MEASURES,
  payment: PAYMENT_MEASURES,
  vat: VAT_MEASURES,
  cashier: BRANCH_MEASURES,
};
const KEYS: Record<Level, readonly string[]> = {
  branch: ['branch'],
  cashier: ['branch', 'cashier_id'],
  product: ['branch', 'product_id'],
  payment: ['branch', 'method'],
  vat: ['branch', 'rate'],
};

/** The cashier level is the branch level's facts, kept per cashier too. */
const sourcesOf = (level: Level) => SOURCES[level === 'cashier' ? 'branch' : level];

/**
 * The facts of one level summed per day and key: columns `day` (a date),
 * the level's keys, then every measure as bigint.
 */
export function factSums(level: Level, filter: FactFilter): string {
  const keys = KEYS[level];
  const measures = MEASURES[level];
  const parts = sourcesOf(level).map((src) => {
    const cols = [
      `${dhakaDaySql(src.day)} AS day`,
      ...keys.map((k) => `${src.keys[k] ?? 'NULL'} AS ${k}`),
      ...measures.map((m) => `${src.measures[m] ?? '0'}::bigint AS ${m}`),
    ];
    return `SELECT ${cols.join(', ')} FROM ${src.from(filter)}`;
  });
  return `SELECT day, ${keys.join(', ')}, ${measures.map((m) => `sum(${m})::bigint AS ${m}`).join(', ')}
            FROM (${parts.join('\n UNION ALL ')}) facts
           GROUP BY day, ${keys.join(', ')}`;
}

export function measuresOf(level: Level): readonly string[] {
  return MEASURES[level];
}

/** A level's keys besides the day. */
export function keysOf(level: Level): readonly string[] {
  return KEYS[level];
}
