import { z } from 'zod';
import { branchCode } from './wire/common';

/**
 * Head office's reports: what each one is called, what it is asked, and the
 * one shape every answer has. The central side computes them
 * (`cloud-worker/reports/`), the dashboard draws them, and
 * `npm run report` prints them; all three read this file.
 *
 * Days are business days in Asia/Dhaka (UTC+6, no daylight saving), written
 * YYYY-MM-DD; `from` and `to` are both included.
 */
export const REPORT_NAMES = [
  'sales-by-day',
  'sales-by-branch',
  'sales-by-product',
  'sales-by-category',
  'sales-by-cashier',
  'sales-by-payment',
  'vat-by-rate',
  'discounts',
  'voids-refunds',
  'top-products',
  'stock',
  'shifts',
  'off-price-sales',
  'offline-tenders',
] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export const REPORT_TITLES: Record<ReportName, { en: string; bn: string }> = {
  'sales-by-day': { en: 'Sales by day and branch', bn: 'দিন ও শাখা অনুযায়ী বিক্রি' },
  'sales-by-branch': { en: 'Sales by branch', bn: 'শাখা অনুযায়ী বিক্রি' },
  'sales-by-product': { en: 'Sales by product', bn: 'পণ্য অনুযায়ী বিক্রি' },
  'sales-by-category': { en: 'Sales by category', bn: 'ক্যাটাগরি অনুযায়ী বিক্রি' },
  'sales-by-cashier': { en: 'Sales by cashier', bn: 'ক্যাশিয়ার অনুযায়ী বিক্রি' },
  'sales-by-payment': { en: 'Sales by payment method', bn: 'পেমেন্ট পদ্ধতি অনুযায়ী বিক্রি' },
  'vat-by-rate': { en: 'VAT by rate', bn: 'হার অনুযায়ী ভ্যাট' },
  discounts: { en: 'Discounts', bn: 'ছাড়' },
  'voids-refunds': { en: 'Voids and refunds', bn: 'বাতিল ও ফেরত' },
  'top-products': { en: 'Top products', bn: 'শীর্ষ পণ্য' },
  stock: { en: 'Stock per branch', bn: 'শাখাভিত্তিক মজুত' },
  shifts: { en: 'Shifts and Z reports', bn: 'শিফট ও জেড রিপোর্ট' },
  'off-price-sales': { en: 'Sold at another price', bn: 'ভিন্ন দামে বিক্রি' },
  'offline-tenders': { en: 'Card and mobile money taken offline', bn: 'অফলাইনে নেওয়া কার্ড ও মোবাইল পেমেন্ট' },
};

/**
 * How a report is best drawn, where people would rather look than read: the
 * column along the x axis, the columns plotted, and for a line chart the
 * column whose values make one line each. Reports without one are tables.
 */
export interface ReportChart {
  readonly kind: 'line' | 'bar';
  readonly x: string;
  readonly y: readonly string[];
  readonly series?: string;
}

export const REPORT_CHARTS: Partial<Record<ReportName, ReportChart>> = {
  'sales-by-day': { kind: 'line', x: 'day', y: ['net'], series: 'branch' },
  'sales-by-branch': { kind: 'bar', x: 'branch', y: ['sales', 'voids', 'refunds', 'net'] },
  'sales-by-category': { kind: 'bar', x: 'category', y: ['net'] },
  'sales-by-cashier': { kind: 'bar', x: 'cashier', y: ['net'] },
  'sales-by-payment': { kind: 'bar', x: 'method', y: ['net'] },
  'vat-by-rate': { kind: 'bar', x: 'rate', y: ['taxable', 'vat'] },
  'top-products': { kind: 'bar', x: 'product', y: ['net'] },
};

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
export const businessDay = z
  .string()
  .regex(DAY_PATTERN, 'must be a day written YYYY-MM-DD')
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    {
      message: 'must be a real calendar day',
    },
  );

/** The longest range one report may cover, so one request cannot scan years of lines. */
export const MAX_REPORT_DAYS = 366;

export const reportParamsSchema = z
  .object({
    from: businessDay,
    to: businessDay,
    branch: branchCode.optional(),
    /** Rows wanted, for the reports that rank (top-products); others ignore it. */
    limit: z.coerce.number().int('must be a whole number').min(1).max(1000).default(20),
  })
  .superRefine((p, ctx) => {
    if (p.to < p.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    else if (daysBetween(p.from, p.to) + 1 > MAX_REPORT_DAYS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `range must be at most ${MAX_REPORT_DAYS} days` });
  });
export type ReportParams = z.infer<typeof reportParamsSchema>;

/**
 * How a column's values are written: money is integer poisha, quantities are
 * integer thousandths (of a piece or a kg), VAT rates basis points, days
 * YYYY-MM-DD, times Unix milliseconds. Clients format; the numbers stay exact.
 */
export type ColumnKind = 'text' | 'day' | 'time' | 'int' | 'money' | 'milli' | 'bps';

export interface ReportColumn {
  readonly key: string;
  readonly kind: ColumnKind;
  readonly en: string;
  readonly bn: string;
}

export type ReportCell = string | number | null;

export interface ReportResult {
  readonly name: ReportName;
  readonly params: ReportParams;
  readonly columns: readonly ReportColumn[];
  readonly rows: readonly Record<string, ReportCell>[];
  /** Sums of the money, quantity and count columns over all rows, where a sum means something. */
  readonly totals: Record<string, number>;
  /** Server time the answer was computed, Unix milliseconds. */
  readonly generatedAt: number;
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Dhaka is UTC+6 all year: the business day of an instant. */
export const DHAKA_OFFSET_MS = 6 * 3_600_000;
export function dhakaDay(epochMs: number): string {
  return new Date(epochMs + DHAKA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instants [start, end) of the business days from..to. */
export function dhakaRange(from: string, to: string): { start: number; end: number } {
  return {
    start: Date.parse(`${from}T00:00:00Z`) - DHAKA_OFFSET_MS,
    end: Date.parse(`${to}T00:00:00Z`) + 86_400_000 - DHAKA_OFFSET_MS,
  };
}

/**
 * A report as CSV (RFC 4180, CRLF, a header row of the English labels).
 * Money is written in taka with two decimals and quantities with three, so
 * a spreadsheet reads them as numbers; cells that a spreadsheet would run
 * as a formula are quoted with a leading apostrophe.
 */
export function reportToCsv(result: ReportResult): string {
  const header = result.columns.map((c) => csvCell(c.en));
  const lines = [header.join(',')];
  for (const row of result.rows) {
    lines.push(result.columns.map((c) => csvCell(csvValue(c.kind, row[c.key] ?? null))).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

function csvValue(kind: ColumnKind, value: ReportCell): string {
  if (value === null) return '';
  if (typeof value === 'number') {
    if (kind === 'money') return fixed(value, 100, 2);
    if (kind === 'milli') return fixed(value, 1000, 3);
    if (kind === 'bps') return fixed(value, 100, 2);
    if (kind === 'time') return new Date(value).toISOString();
    return String(value);
  }
  return value;
}

function fixed(value: number, scale: number, digits: number): string {
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  return `${sign}${Math.trunc(abs / scale)}.${String(abs % scale).padStart(digits, '0')}`;
}

function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
