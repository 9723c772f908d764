import type { Database, Queryable } from '../db/database';
import { factSums, keysOf, measuresOf, type Level } from './facts';
import { sleep } from '../sleep';

/**
 * The report rollups (0003_reports.sql): sums per Dhaka day and branch, and
 * per day, branch and product, of every sale, void and refund up to each
 * till's mark.
 *
 * A till's events 1..acked_seq are all in the central database, and the
 * ingest commits that number with the facts, so the refresher can move the
 * till's mark up to it and add exactly those facts, outside the ingest
 * transaction. It stops short of a void or refund whose sale is not here
 * yet, so that one in the rollups always carries its sale's amounts, lines
 * and VAT rates. Refreshers in
 * several processes take turns through an advisory lock; one that finds the
 * lock taken leaves the work to the holder.
 *
 * A report reads the rollups and adds, from the raw tables, the facts above
 * each till's mark (`readSums`), in one statement: it is exact whenever it
 * is read, however far behind the refresher is.
 */
const REFRESH_LOCK = 7_291_456;

const TABLES: Record<Level, string> = {
  branch: 'report_branch_days',
  cashier: 'report_cashier_days',
  product: 'report_product_days',
  payment: 'report_payment_days',
  vat: 'report_vat_days',
};
const tableKeys = (level: Level) => ['day', ...keysOf(level)];

export interface RefreshSummary {
  /** False when another process held the lock. */
  readonly ran: boolean;
  /** Tills whose mark moved. */
  readonly tills: number;
  /**
   * Whether any till has facts above its mark after this refresh (behind a
   * gap, a void waiting for its sale, or unknown because the lock was taken):
   * only then must a report add them from the raw tables.
   */
  readonly above: boolean;
}

function upsert(table: string, keys: readonly string[], level: Level, select: string): string {
  const measures = measuresOf(level);
  return `INSERT INTO ${table} (${[...keys, ...measures].join(', ')})
          SELECT ${[...keys, ...measures].join(', ')} FROM (${select}) sums
          ON CONFLICT (${keys.join(', ')}) DO UPDATE SET
          ${measures.map((m) => `${m} = ${table}.${m} + excluded.${m}`).join(', ')}`;
}

const RANGES_FROM_PARAMS = `ranges AS (
  SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::bigint[]) AS u (branch, till_no, lo, hi))`;

/**
 * Brings the rollups up to every till's acknowledged sequence, at most
 * `maxPerTill` events of each till at a time, so that catching up on a long
 * backlog is a series of short transactions rather than one long one.
 */
export async function refreshReportRollups(db: Database, maxPerTill = 50_000): Promise<RefreshSummary> {
  return db.transaction(async (tx) => {
    const [lock] = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [REFRESH_LOCK]);
    if (!lock?.ok) return { ran: false, tills: 0, above: true };
    const targets = (await rangesToRoll(tx)).map((t) => ({ ...t, hi: Math.min(t.hi, t.lo + maxPerTill) }));
    if (targets.length > 0) await rollUp(tx, targets);
    const [rest] = await tx.query<{ above: boolean }>(`SELECT EXISTS (${ABOVE_MARKS}) AS above`);
    return { ran: true, tills: targets.length, above: rest?.above ?? true };
  });
}

async function rollUp(tx: Queryable, targets: readonly { branch: string; till_no: number; lo: number; hi: number }[]) {
  const params = [
    targets.map((t) => t.branch),
    targets.map((t) => t.till_no),
    targets.map((t) => t.lo),
    targets.map((t) => t.hi),
  ];
  for (const level of ['branch', 'cashier', 'payment', 'vat'] as const) {
    await tx.query(
      `WITH ${RANGES_FROM_PARAMS}
       ${upsert(TABLES[level], tableKeys(level), level, factSums(level, { by: 'ranges' }))}`,
      params,
    );
  }
  const productMeasures = measuresOf('product');
  await tx.query(
    `WITH ${RANGES_FROM_PARAMS},
       sums AS (${factSums('product', { by: 'ranges' })}),
       per_branch AS (${upsert(TABLES.product, tableKeys('product'), 'product', 'SELECT * FROM sums')})
       ${upsert(
         'report_chain_product_days',
         ['day', 'product_id'],
         'product',
         `SELECT day, product_id, ${productMeasures.map((m) => `sum(${m})::bigint AS ${m}`).join(', ')}
            FROM sums GROUP BY day, product_id`,
       )}`,
    params,
  );
  await tx.query(
    `INSERT INTO report_marks (branch, till_no, rolled_seq)
       SELECT branch, till_no, hi FROM unnest($1::text[], $2::int[], $3::bigint[]) AS u (branch, till_no, hi)
       ON CONFLICT (branch, till_no) DO UPDATE SET rolled_seq = excluded.rolled_seq`,
    [params[0], params[1], params[3]],
  );
}

/** Per till, the events above its mark that may be rolled up now. */
async function rangesToRoll(tx: Queryable) {
  const rows = await tx.query<{ branch: string; till_no: number; lo: number; hi: number }>(
    `WITH t AS (
       SELECT t.branch, t.till_no, coalesce(m.rolled_seq, 0) AS lo, t.acked_seq AS hi
         FROM tills t LEFT JOIN report_marks m ON m.branch = t.branch AND m.till_no = t.till_no
        WHERE t.acked_seq > coalesce(m.rolled_seq, 0))
     SELECT t.branch, t.till_no, t.lo,
            least(t.hi,
                  (SELECT min(v.seq) - 1 FROM voids v
                    WHERE v.branch = t.branch AND v.till_no = t.till_no AND v.seq > t.lo AND v.seq <= t.hi
                      AND NOT EXISTS (SELECT 1 FROM sales s WHERE s.id = v.sale_id)),
                  (SELECT min(f.seq) - 1 FROM refunds f
                    WHERE f.branch = t.branch AND f.till_no = t.till_no AND f.seq > t.lo AND f.seq <= t.hi
                      AND NOT EXISTS (SELECT 1 FROM sales s WHERE s.id = f.sale_id))) AS hi
       FROM t`,
  );
  return rows.filter((r) => r.hi > r.lo);
}

/**
 * Every till's facts above its mark, as a `ranges` relation for `factSums`.
 * A till's highest_seq is committed with its facts, so a till whose mark has
 * reached it has nothing more to add.
 */
const ABOVE_MARKS = `
  SELECT t.branch, t.till_no, coalesce(m.rolled_seq, 0) AS lo, t.highest_seq AS hi
    FROM tills t LEFT JOIN report_marks m ON m.branch = t.branch AND m.till_no = t.till_no
   WHERE t.highest_seq > coalesce(m.rolled_seq, 0)`;

export interface SumsQuery {
  /** First and last Dhaka day as SQL expressions (a date); null from: since the first sale. */
  readonly from: string | null;
  readonly to: string;
  /** SQL expression of the one branch wanted, or null for all. */
  readonly branch: string | null;
  /** At product level for all branches: rows per branch (else the chain-wide rollup, branch left out). */
  readonly perBranch: boolean;
}

/**
 * A query of the exact sums per day and key in the days and branch asked,
 * with columns day, the keys, and the level's measures: the rollups, plus
 * what is above the marks unless the caller knows there is nothing.
 */
export function readSums(level: Level, q: SumsQuery, above: boolean): string {
  const measures = measuresOf(level);
  const chain = level === 'product' && q.branch === null && !q.perBranch;
  const keys = chain ? ['product_id'] : keysOf(level);
  const rollup = chain ? 'report_chain_product_days' : TABLES[level];
  const days = (col: string) => (q.from ? `${col} BETWEEN ${q.from} AND ${q.to}` : `${col} <= ${q.to}`);
  const branch = (col: string) => (q.branch ? ` AND ${col} = ${q.branch}` : '');
  const cols = ['day', ...keys, ...measures].join(', ');
  const rolled = `SELECT ${cols} FROM ${rollup} WHERE ${days('day')}${branch('branch')}`;
  if (!above) return rolled;
  return `WITH ranges AS (${ABOVE_MARKS}),
          fresh AS (${factSums(level, { by: 'ranges' })})
          ${rolled}
          UNION ALL
          SELECT ${cols} FROM fresh WHERE ${days('day')}${branch('branch')}`;
}

/**
 * Refreshes the rollups every `intervalMs` until `signal` aborts, and at
 * once again while a refresh left work behind, so that a report's own
 * refresh finds little to do. Safe in every API and worker process at once.
 */
export async function runRollupRefresher(
  db: Database,
  signal: AbortSignal,
  opts: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): Promise<void> {
  const interval = opts.intervalMs ?? 10_000;
  while (!signal.aborted) {
    let again = false;
    try {
      const r = await refreshReportRollups(db);
      again = r.ran && r.tills > 0;
    } catch (error) {
      opts.onError?.(error);
    }
    if (again) continue;
    await sleep(interval, signal);
  }
}
