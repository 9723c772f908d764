import type { Queryable } from '../db/database';
import type {
  BranchHealth,
  HealthState,
  MissingRange,
  RejectedMessage,
  TillDbHealth,
  TillHealth,
} from '../../shared/office-health';
import { type BranchSettings, DEFAULT_BRANCH_SETTINGS, parseBranchSettings } from '../../shared/settings';
import { dhakaDay, dhakaRange } from '../../shared/reports';

/**
 * The sync health of every branch and till, as head office's health page
 * shows it. The rule for the colour is here and on the page (docs/office.md):
 * - red: never seen, or not seen for 24 hours, or a message of it rejected
 *   in the last 24 hours and not re-driven;
 * - amber: not synced for longer than its branch's `syncLateAfterMinutes`
 *   (not seen, or its oldest sale not yet in the central database is older
 *   than that), or its database past the branch's `maxTillDbMegabytes`, or
 *   sales missing between what arrived, or its clock more than 10 minutes
 *   off the server's;
 * - green: otherwise.
 */
export const HEALTH_RULE = {
  redSilentHours: 24,
  rejectedWithinHours: 24,
  skewMinutes: 10,
} as const;
/** Offline periods shown per till: those begun in the last this many days, at most `OFFLINE_SHOWN`. */
const OFFLINE_DAYS = 30;
const OFFLINE_SHOWN = 20;
export const WORKER_ALIVE_SECONDS = 60;
const MAX_RECEIPTS_LISTED = 200;

/**
 * A till's clock skew is read off its latest batches: device time when the
 * batch was made, less when it was ingested. Every batch waits somewhere on
 * the way (in the queue while the worker is busy, on the till when it was
 * sealed offline), which only makes that difference smaller, so the largest
 * of the last few is the one that waited least, and the closest to the
 * clock's own error.
 */
const SKEW_SAMPLES = 20;

const ms = (d: Date | string | null) => (d === null ? null : new Date(d).getTime());

export async function branchHealth(db: Queryable, now = Date.now()): Promise<BranchHealth[]> {
  const today = dhakaRange(dhakaDay(now), dhakaDay(now));
  const branches = await db.query<{ code: string; name_en: string; name_bn: string; settings: unknown }>(
    'SELECT code, name_en, name_bn, settings FROM branches ORDER BY code',
  );
  const settingsOf = new Map(
    branches.map((b) => {
      const parsed = parseBranchSettings(typeof b.settings === 'string' ? JSON.parse(b.settings) : (b.settings ?? {}));
      return [b.code, parsed.ok ? parsed.value : DEFAULT_BRANCH_SETTINGS];
    }),
  );
  const tills = await db.query<{
    branch: string;
    till_no: number;
    acked_seq: string | number;
    highest_seq: string | number;
    last_ingest_at: Date | null;
    last_pull_at: Date | null;
    last_device_time: string | number | null;
    skew_ms: string | number | null;
    db_bytes: string | number | null;
    rows_waiting: number | null;
    oldest_unsynced_seq: string | number | null;
    oldest_unsynced_age_ms: string | number | null;
    reported_last_seq: string | number | null;
    db_reported_at: Date | null;
  }>(
    `SELECT t.branch, t.till_no, t.acked_seq, t.highest_seq, t.last_ingest_at, t.last_pull_at, t.last_device_time,
            b.skew_ms,
            t.db_bytes, t.rows_waiting, t.oldest_unsynced_seq, t.oldest_unsynced_age_ms,
            t.reported_last_seq, t.db_reported_at
       FROM tills t
       LEFT JOIN LATERAL (SELECT max(r.device_time - (extract(epoch FROM r.ingested_at) * 1000)::bigint) AS skew_ms
                            FROM (SELECT device_time, ingested_at FROM ingest_batches
                                   WHERE branch = t.branch AND till_no = t.till_no
                                   ORDER BY ingested_at DESC LIMIT ${SKEW_SAMPLES}) r) b ON true
      WHERE t.revoked_at IS NULL ORDER BY t.branch, t.till_no`,
  );
  const sales = await db.query<{ branch: string; till_no: number; n: number }>(
    `SELECT b.branch, b.till_no, count(*)::int AS n
       FROM ingest_batches b
       JOIN till_events e ON e.branch = b.branch AND e.till_no = b.till_no
                         AND e.seq BETWEEN b.first_seq AND b.last_seq AND e.batch_id = b.id
      WHERE b.ingested_at >= to_timestamp($1::double precision / 1000) AND e.type = 'sale.completed'
      GROUP BY b.branch, b.till_no`,
    [today.start],
  );
  const gaps = await db.query<{
    branch: string;
    till_no: number;
    first_seq: string | number;
    last_seq: string | number;
  }>('SELECT branch, till_no, first_seq, last_seq FROM till_missing_ranges ORDER BY branch, till_no, first_seq');
  const errors = await db.query<{
    branch: string;
    till_no: number;
    code: string;
    reason: string;
    rejected_at: Date;
    open: number;
  }>(
    `SELECT DISTINCT ON (branch, till_no) branch, till_no, code, reason, rejected_at,
            (count(*) FILTER (WHERE redriven_at IS NULL AND rejected_at > now() - make_interval(hours => $1))
               OVER (PARTITION BY branch, till_no))::int AS open
       FROM rejected_messages WHERE branch IS NOT NULL
      ORDER BY branch, till_no, rejected_at DESC`,
    [HEALTH_RULE.rejectedWithinHours],
  );

  const periods = await db.query<{
    branch: string;
    till_no: number;
    cause: 'network' | 'manual';
    started_at: string | number;
    ended_at: string | number | null;
    started_by: string | null;
    ended_by: string | null;
    detail: string;
  }>(
    `SELECT s.branch, s.till_no, s.cause, s.started_at, e.ended_at, s.detail,
            coalesce(cs.name, s.started_by::text) AS started_by, coalesce(ce.name, e.ended_by::text) AS ended_by
       FROM till_offline_starts s
       LEFT JOIN till_offline_ends e ON e.period_id = s.period_id
       LEFT JOIN cashiers cs ON cs.id = s.started_by
       LEFT JOIN cashiers ce ON ce.id = e.ended_by
      WHERE s.started_at > $1
      ORDER BY s.branch, s.till_no, s.started_at DESC`,
    [now - OFFLINE_DAYS * 86_400_000],
  );

  const key = (b: string, t: number) => `${b}-${t}`;
  const salesOf = new Map(sales.map((s) => [key(s.branch, s.till_no), s.n]));
  const errorOf = new Map(errors.map((e) => [key(e.branch, e.till_no), e]));
  const result: TillHealth[] = [];
  for (const t of tills) {
    const ranges = gaps.filter((g) => g.branch === t.branch && g.till_no === t.till_no);
    const missing: MissingRange[] = [];
    for (const g of ranges.slice(0, 50)) {
      missing.push(await missingReceipts(db, t.branch, t.till_no, Number(g.first_seq), Number(g.last_seq)));
    }
    const missingCount = ranges.reduce((n, g) => n + Number(g.last_seq) - Number(g.first_seq) + 1, 0);
    const lastIngestAt = ms(t.last_ingest_at);
    const lastPullAt = ms(t.last_pull_at);
    const seen = [lastIngestAt, lastPullAt].filter((x): x is number => x !== null);
    const lastSeenAt = seen.length > 0 ? Math.max(...seen) : null;
    const skewMs = t.skew_ms === null ? null : Number(t.skew_ms);
    const error = errorOf.get(key(t.branch, t.till_no));
    const tillDb = dbHealth(t, now);
    const { state, reasons } = judge({
      now,
      lastSeenAt,
      missingCount,
      skewMs,
      openRejections: error?.open ?? 0,
      db: tillDb,
      settings: settingsOf.get(t.branch) ?? DEFAULT_BRANCH_SETTINGS,
    });
    const offline = periods
      .filter((p) => p.branch === t.branch && p.till_no === t.till_no)
      .slice(0, OFFLINE_SHOWN)
      .map((p) => ({
        cause: p.cause,
        startedAt: Number(p.started_at),
        endedAt: p.ended_at === null ? null : Number(p.ended_at),
        startedBy: p.started_by,
        endedBy: p.ended_by,
        detail: p.detail,
      }));
    result.push({
      branch: t.branch,
      till: t.till_no,
      lastSeenAt,
      lastPullAt,
      lastIngestAt,
      lastDeviceTime: t.last_device_time === null ? null : Number(t.last_device_time),
      skewMs,
      salesToday: salesOf.get(key(t.branch, t.till_no)) ?? 0,
      highestSeq: Number(t.highest_seq),
      ackedSeq: Number(t.acked_seq),
      missing,
      missingCount,
      notIngestedEstimate: missingCount,
      lastError: error ? { code: error.code, reason: error.reason, at: new Date(error.rejected_at).getTime() } : null,
      db: tillDb,
      offline,
      state,
      reasons,
    });
  }
  return branches.map((b) => {
    const own = result.filter((t) => t.branch === b.code);
    return { code: b.code, nameEn: b.name_en, nameBn: b.name_bn, state: worst(own.map((t) => t.state)), tills: own };
  });
}

function worst(states: HealthState[]): HealthState {
  if (states.includes('red')) return 'red';
  if (states.includes('amber')) return 'amber';
  return 'green';
}

/**
 * What the till said of its database on its last pull, aged to now: the age
 * of its oldest unconfirmed sale grows from when it was reported, and that
 * sale counts as arrived once the till's acknowledged sequence passed it.
 */
function dbHealth(
  t: {
    acked_seq: string | number;
    db_bytes: string | number | null;
    rows_waiting: number | null;
    oldest_unsynced_seq: string | number | null;
    oldest_unsynced_age_ms: string | number | null;
    reported_last_seq: string | number | null;
    db_reported_at: Date | null;
  },
  now: number,
): TillDbHealth | null {
  if (t.db_bytes === null || t.db_reported_at === null) return null;
  const reportedAt = new Date(t.db_reported_at).getTime();
  const arrived = t.oldest_unsynced_seq === null || Number(t.oldest_unsynced_seq) <= Number(t.acked_seq);
  return {
    bytes: Number(t.db_bytes),
    // Counted from sequences, what waits stays right as acknowledgements move on after the report.
    rowsWaiting:
      t.reported_last_seq === null
        ? (t.rows_waiting ?? 0)
        : Math.max(0, Number(t.reported_last_seq) - Number(t.acked_seq)),
    oldestUnsyncedAgeMs:
      arrived || t.oldest_unsynced_age_ms === null
        ? null
        : Number(t.oldest_unsynced_age_ms) + Math.max(0, now - reportedAt),
    reportedAt,
  };
}

export function judge(input: {
  now: number;
  lastSeenAt: number | null;
  missingCount: number;
  skewMs: number | null;
  openRejections: number;
  db?: TillDbHealth | null;
  settings?: BranchSettings;
}): { state: HealthState; reasons: string[] } {
  const hour = 3_600_000;
  const settings = input.settings ?? DEFAULT_BRANCH_SETTINGS;
  const lateMs = settings.syncLateAfterMinutes * 60_000;
  const red: string[] = [];
  const amber: string[] = [];
  const silent = input.lastSeenAt === null ? Infinity : input.now - input.lastSeenAt;
  if (input.lastSeenAt === null) red.push('never-seen');
  else if (silent > HEALTH_RULE.redSilentHours * hour) red.push('silent-day');
  else if (silent > lateMs) amber.push('silent-hours');
  const oldest = input.db?.oldestUnsyncedAgeMs ?? null;
  if (oldest !== null && oldest > lateMs) amber.push('unsynced-old');
  if (input.db && input.db.bytes > settings.maxTillDbMegabytes * 1024 * 1024) amber.push('db-large');
  if (input.openRejections > 0) red.push('rejected');
  if (input.missingCount > 0) amber.push('missing');
  if (input.skewMs !== null && Math.abs(input.skewMs) > HEALTH_RULE.skewMinutes * 60_000) amber.push('skew');
  return { state: red.length > 0 ? 'red' : amber.length > 0 ? 'amber' : 'green', reasons: [...red, ...amber] };
}

/**
 * Receipt numbers are gap-free per till, like sequences, but count only
 * sales: the receipts missing between two sequences are exactly those
 * between the last sale that arrived before the gap and the first after it.
 */
async function missingReceipts(
  db: Queryable,
  branch: string,
  till: number,
  first: number,
  last: number,
): Promise<MissingRange> {
  const [before] = await db.query<{ receipt_no: string }>(
    'SELECT receipt_no FROM sales WHERE branch = $1 AND till_no = $2 AND seq < $3 ORDER BY seq DESC LIMIT 1',
    [branch, till, first],
  );
  const [after] = await db.query<{ receipt_no: string }>(
    'SELECT receipt_no FROM sales WHERE branch = $1 AND till_no = $2 AND seq > $3 ORDER BY seq LIMIT 1',
    [branch, till, last],
  );
  const number = (r: string) => Number(r.slice(r.lastIndexOf('-') + 1));
  const from = before ? number(before.receipt_no) + 1 : 1;
  if (!after) {
    return { first, last, receipts: [], receiptsAfter: before?.receipt_no ?? `${branch}-${till}-000000` };
  }
  const to = number(after.receipt_no) - 1;
  const receipts: string[] = [];
  for (let n = from; n <= to && receipts.length < MAX_RECEIPTS_LISTED; n++) {
    receipts.push(`${branch}-${till}-${String(n).padStart(6, '0')}`);
  }
  return { first, last, receipts, receiptsAfter: null };
}

export interface QueueHealth {
  readonly workersAlive: number;
  readonly workers: { id: string; host: string; pid: number; seenAt: number; startedAt: number; ingested: number }[];
  /** Batches and events ingested over the last 15 minutes, per minute. */
  readonly ingestRate: { batchesPerMinute: number; eventsPerMinute: number; windowMinutes: number };
}

export async function queueHealth(db: Queryable): Promise<QueueHealth> {
  const workers = await db.query<{
    worker_id: string;
    host: string;
    pid: number;
    seen_at: Date;
    started_at: Date;
    messages_ingested: string | number;
    alive: boolean;
  }>(
    `SELECT worker_id, host, pid, seen_at, started_at, messages_ingested,
            seen_at > now() - make_interval(secs => $1) AS alive
       FROM worker_heartbeats WHERE seen_at > now() - interval '1 day' ORDER BY seen_at DESC`,
    [WORKER_ALIVE_SECONDS],
  );
  const window = 15;
  const [rate] = await db.query<{ batches: number; events: number }>(
    `SELECT count(*)::int AS batches, coalesce(sum(last_seq - first_seq + 1), 0)::int AS events
       FROM ingest_batches WHERE ingested_at > now() - make_interval(mins => $1)`,
    [window],
  );
  return {
    workersAlive: workers.filter((w) => w.alive).length,
    workers: workers.map((w) => ({
      id: w.worker_id,
      host: w.host,
      pid: w.pid,
      seenAt: new Date(w.seen_at).getTime(),
      startedAt: new Date(w.started_at).getTime(),
      ingested: Number(w.messages_ingested),
    })),
    ingestRate: {
      batchesPerMinute: Math.round(((rate?.batches ?? 0) / window) * 10) / 10,
      eventsPerMinute: Math.round(((rate?.events ?? 0) / window) * 10) / 10,
      windowMinutes: window,
    },
  };
}

/** A worker process says it is alive, with how many messages it has ingested so far. */
export async function beat(
  db: Queryable,
  w: { id: string; host: string; pid: number; ingested: number },
): Promise<void> {
  await db.query(
    `INSERT INTO worker_heartbeats (worker_id, host, pid, messages_ingested) VALUES ($1, $2, $3, $4)
     ON CONFLICT (worker_id) DO UPDATE SET seen_at = now(), messages_ingested = excluded.messages_ingested`,
    [w.id, w.host, w.pid, w.ingested],
  );
}

export async function listRejected(db: Queryable, limit = 100): Promise<RejectedMessage[]> {
  const rows = await db.query<{
    message_id: string;
    queue: string;
    branch: string | null;
    till_no: number | null;
    code: string;
    field: string;
    reason: string;
    dequeue_count: number;
    rejected_at: Date;
    redriven_at: Date | null;
  }>(
    `SELECT message_id, queue, branch, till_no, code, field, reason, dequeue_count, rejected_at, redriven_at
       FROM rejected_messages ORDER BY rejected_at DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    messageId: r.message_id,
    queue: r.queue,
    branch: r.branch,
    till: r.till_no,
    code: r.code,
    field: r.field,
    reason: r.reason,
    dequeueCount: r.dequeue_count,
    rejectedAt: new Date(r.rejected_at).getTime(),
    redrivenAt: ms(r.redriven_at),
  }));
}

/**
 * Claims a rejected message for a re-drive and returns its text; undefined
 * when there is no such message or it was re-driven already.
 */
export async function claimRedrive(db: Queryable, messageId: string, by: string): Promise<string | undefined> {
  const [row] = await db.query<{ message_text: string }>(
    `UPDATE rejected_messages SET redriven_at = now(), redriven_by = $2
      WHERE message_id = $1 AND redriven_at IS NULL RETURNING message_text`,
    [messageId, by],
  );
  return row?.message_text;
}
