import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDhakaTime, groupLakh } from '../../../../shared/format';
import {
  dhakaDay,
  REPORT_NAMES,
  REPORT_TITLES,
  type ReportCell,
  type ReportColumn,
  type ReportName,
  type ReportResult,
} from '../../../../shared/reports';
import type { OfficeClient } from '../api';
import { ErrorNote } from '../components/ErrorNote';
import { useTexts, type Texts } from '../i18n';

const SERIES_COLOURS = ['#0b6e4f', '#1b64d4', '#b3541e', '#7a3fb0', '#8a5a00', '#2a8c99', '#b3261e', '#5b6875'];
const MAX_BARS = 15;
/** What a chart measures when a report has it: the money that stays after voids and refunds. */
const VALUE_KEYS = ['net', 'sales', 'taken', 'amount'];
/** What names a bar, before any other text column: a product reads better than its SKU. */
const LABEL_KEYS = ['product', 'name', 'cashier', 'category', 'method', 'branch'];
const MAX_SERIES = SERIES_COLOURS.length;

export function formatCell(texts: Texts, kind: ReportColumn['kind'], value: ReportCell): string {
  if (value === null) return '—';
  if (typeof value === 'string') return kind === 'day' ? texts.digits(value) : value;
  switch (kind) {
    case 'money':
      return texts.money(value);
    case 'milli': {
      const sign = value < 0 ? '-' : '';
      const abs = Math.abs(value);
      return texts.digits(`${sign}${groupLakh(String(Math.trunc(abs / 1000)))}.${String(abs % 1000).padStart(3, '0')}`);
    }
    case 'bps':
      return texts.digits(`${value / 100}%`);
    case 'time':
      return formatDhakaTime(value, { lang: texts.lang });
    default:
      return texts.count(value);
  }
}

/** How to draw a report: which column runs along the bottom, which value is measured, and how to split it. */
export function chartPlan(result: ReportResult, lang: 'en' | 'bn') {
  const cols = result.columns;
  const value =
    VALUE_KEYS.map((k) => cols.find((c) => c.key === k && c.kind === 'money')).find(Boolean) ??
    cols.find((c) => c.kind === 'money') ??
    cols.find((c) => c.kind === 'milli' || (c.kind === 'int' && c.key !== 'rank'));
  if (!value || result.rows.length === 0) return null;
  const day = cols.find((c) => c.kind === 'day');
  const texts = cols.filter((c) => c.kind === 'text');
  const label = LABEL_KEYS.map((k) => texts.find((c) => c.key === k)).find(Boolean) ?? texts[0];
  const scale = value.kind === 'money' ? 100 : value.kind === 'milli' ? 1000 : 1;
  if (day) {
    const split = label && label !== day ? label : undefined;
    const byDay = new Map<string, Record<string, number | string>>();
    const series = new Set<string>();
    for (const row of result.rows) {
      const d = String(row[day.key]);
      const s = split ? String(row[split.key] ?? '') : lang === 'bn' ? value.bn : value.en;
      if (series.size >= MAX_SERIES && !series.has(s)) continue;
      series.add(s);
      const point = byDay.get(d) ?? { x: d };
      point[s] = Number(point[s] ?? 0) + Number(row[value.key] ?? 0) / scale;
      byDay.set(d, point);
    }
    // Every day of the range gets its place, so a day without sales shows as a gap, not as nothing.
    const days: Record<string, number | string>[] = [];
    for (let d = result.params.from; d <= result.params.to; d = nextDay(d)) days.push(byDay.get(d) ?? { x: d });
    return { value, scale, layout: 'days' as const, data: days, series: [...series] };
  }
  if (!label) return null;
  const data = [...result.rows]
    .sort((a, b) => Number(b[value.key] ?? 0) - Number(a[value.key] ?? 0))
    .slice(0, MAX_BARS)
    .map((row) => ({ x: String(row[label.key] ?? ''), v: Number(row[value.key] ?? 0) / scale }));
  return { value, scale, layout: 'ranked' as const, data, series: ['v'] };
}

function ReportChart({ result }: { result: ReportResult }) {
  const texts = useTexts();
  const plan = chartPlan(result, texts.lang);
  if (!plan) return null;
  const name = texts.lang === 'bn' ? plan.value.bn : plan.value.en;
  const tick = (v: number) => texts.digits(groupLakh(String(Math.round(v))));
  const tip = (v: unknown) => formatCell(texts, plan.value.kind, Math.round(Number(v) * plan.scale));
  return (
    <figure className="chart" aria-label={texts.t('reports.chart')}>
      <figcaption className="muted small">
        {name}
        {plan.value.kind === 'money' ? ' (৳)' : ''}
      </figcaption>
      <ResponsiveContainer width="100%" height={plan.layout === 'ranked' ? Math.max(200, plan.data.length * 30) : 300}>
        {plan.layout === 'ranked' ? (
          <BarChart data={plan.data} layout="vertical" margin={{ left: 24, right: 24 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" tickFormatter={tick} />
            <YAxis type="category" dataKey="x" width={180} />
            <Tooltip formatter={(v) => [tip(v), name]} />
            <Bar dataKey="v" name={name} fill={SERIES_COLOURS[0]} maxBarSize={28} isAnimationActive={false} />
          </BarChart>
        ) : (
          <BarChart data={plan.data} margin={{ left: 24, right: 24 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="x" tickFormatter={(d: string) => texts.digits(`${d.slice(8)}/${d.slice(5, 7)}`)} />
            <YAxis tickFormatter={tick} width={90} />
            <Tooltip formatter={(v, s) => [tip(v), s]} />
            <Legend />
            {plan.series.map((s, i) => (
              <Bar
                key={s}
                dataKey={s}
                stackId="a"
                fill={SERIES_COLOURS[i % SERIES_COLOURS.length]}
                maxBarSize={48}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        )}
      </ResponsiveContainer>
    </figure>
  );
}

function ReportTable({ result }: { result: ReportResult }) {
  const texts = useTexts();
  const { t, lang } = texts;
  const numeric = (c: ReportColumn) => c.kind !== 'text' && c.kind !== 'day' && c.kind !== 'time';
  const hasTotals = result.columns.some((c) => result.totals[c.key] !== undefined);
  return (
    <div className="table-wrap">
      <table className="report" aria-label={t('reports.table')}>
        <thead>
          <tr>
            {result.columns.map((c) => (
              <th key={c.key} className={numeric(c) ? 'num' : undefined}>
                {lang === 'bn' ? c.bn : c.en}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {result.rows.map((row, i) => (
            <tr key={i}>
              {result.columns.map((c) => (
                <td key={c.key} className={numeric(c) ? 'num' : undefined}>
                  {formatCell(texts, c.kind, row[c.key] ?? null)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        {hasTotals && (
          <tfoot>
            <tr>
              {result.columns.map((c, i) => (
                <td key={c.key} className={numeric(c) ? 'num' : undefined}>
                  {result.totals[c.key] !== undefined
                    ? formatCell(texts, c.kind, result.totals[c.key]!)
                    : i === 0
                      ? t('reports.total')
                      : ''}
                </td>
              ))}
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}

function nextDay(day: string): string {
  return daysBefore(day, -1);
}

function daysBefore(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Every report of shared/reports.ts on one page: pick it, the days and the
 * branch, and see it drawn beside its table, with its CSV a click away. The
 * chart and the table follow the report's typed columns, so a new report
 * needs nothing here.
 */
export function ReportsPage({ client, now = Date.now() }: { client: OfficeClient; now?: number }) {
  const texts = useTexts();
  const { t, lang } = texts;
  const today = dhakaDay(now);
  const [name, setName] = useState<ReportName>('sales-by-day');
  const [from, setFrom] = useState(daysBefore(today, 6));
  const [to, setTo] = useState(today);
  const [branch, setBranch] = useState('');
  const [limit, setLimit] = useState('20');
  const [branches, setBranches] = useState<{ code: string; nameEn: string; nameBn: string }[]>([]);
  const [result, setResult] = useState<ReportResult | null>(null);
  const [error, setError] = useState<unknown>(null);

  const query = useMemo(() => {
    const q = new URLSearchParams({ from, to, limit });
    if (branch) q.set('branch', branch);
    return q;
  }, [from, to, branch, limit]);

  async function show(e?: FormEvent) {
    e?.preventDefault();
    try {
      setResult(await client.get<ReportResult>(`/v1/reports/${name}?${query.toString()}&format=json`));
      setError(null);
    } catch (err) {
      setResult(null);
      setError(err);
    }
  }

  useEffect(() => {
    client
      .get<{ branches: { code: string; nameEn: string; nameBn: string }[] }>('/v1/office/branches')
      .then((r) => setBranches(r.branches), setError);
  }, [client]);

  useEffect(() => {
    void show();
    // Shown again whenever another report is picked; dates and branch wait for Show.
  }, [name]);

  const title = (n: ReportName) => (lang === 'bn' ? REPORT_TITLES[n].bn : REPORT_TITLES[n].en);
  return (
    <section aria-labelledby="reports-title">
      <div className="page-head">
        <h1 id="reports-title">{t('reports.title')}</h1>
      </div>
      <div className="reports">
        <nav className="report-list card" aria-label={t('reports.pick')}>
          <ul>
            {REPORT_NAMES.map((n) => (
              <li key={n}>
                <button
                  type="button"
                  className="link"
                  aria-current={n === name ? 'true' : undefined}
                  onClick={() => setName(n)}
                >
                  {title(n)}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="report-body">
          <form className="card inline" onSubmit={(e) => void show(e)}>
            <label>
              {t('reports.from')}
              <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
            </label>
            <label>
              {t('reports.to')}
              <input type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
            </label>
            <label>
              {t('reports.branch')}
              <select value={branch} onChange={(e) => setBranch(e.target.value)}>
                <option value="">{t('reports.allBranches')}</option>
                {branches.map((b) => (
                  <option key={b.code} value={b.code}>
                    {b.code} · {lang === 'bn' && b.nameBn ? b.nameBn : b.nameEn}
                  </option>
                ))}
              </select>
            </label>
            {name === 'top-products' && (
              <label>
                {t('reports.limit')}
                <input value={limit} onChange={(e) => setLimit(e.target.value)} inputMode="numeric" size={4} />
              </label>
            )}
            <button type="submit" className="primary">
              {t('reports.show')}
            </button>
            <a
              className="button"
              href={`/v1/reports/${name}?${query.toString()}&format=csv`}
              download={`${name}-${from}-${to}.csv`}
            >
              {t('reports.csv')}
            </a>
          </form>
          <ErrorNote error={error} />
          {result && (
            <article className="card" aria-label={title(result.name)}>
              <h2>{title(result.name)}</h2>
              <p className="muted small">{t('reports.generated', { time: texts.time(result.generatedAt) })}</p>
              {result.rows.length === 0 ? (
                <p>{t('reports.empty')}</p>
              ) : (
                <>
                  <ReportChart result={result} />
                  <ReportTable result={result} />
                </>
              )}
            </article>
          )}
        </div>
      </div>
    </section>
  );
}
