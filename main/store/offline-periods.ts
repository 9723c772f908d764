import type { OfflineCause } from '../../shared/wire/events';
import { sql, type ReadableDB, type WritableDB } from './db';
import { ackedSql } from './outbox';

export interface OfflinePeriod {
  readonly id: string;
  readonly cause: OfflineCause;
  readonly startedAt: number;
  readonly startedBy: string | null;
  readonly detail: string;
  readonly endedAt: number | null;
  readonly endedBy: string | null;
  readonly endCause: OfflineCause | null;
}

interface Row {
  id: string;
  cause: OfflineCause;
  started_at: number;
  started_by: string | null;
  detail: string;
  ended_at: number | null;
  ended_by: string | null;
  end_cause: OfflineCause | null;
}

function rowToPeriod(r: Row): OfflinePeriod {
  return {
    id: r.id,
    cause: r.cause,
    startedAt: r.started_at,
    startedBy: r.started_by,
    detail: r.detail,
    endedAt: r.ended_at,
    endedBy: r.ended_by,
    endCause: r.end_cause,
  };
}

/** The period the till is in now, if it works offline. */
export function openOfflinePeriod(db: ReadableDB): OfflinePeriod | undefined {
  const row = sql(db, 'SELECT * FROM offline_periods WHERE ended_at IS NULL').get() as Row | undefined;
  return row ? rowToPeriod(row) : undefined;
}

/** The latest periods, newest first. */
export function recentOfflinePeriods(db: ReadableDB, limit: number): OfflinePeriod[] {
  return (sql(db, 'SELECT * FROM offline_periods ORDER BY started_at DESC LIMIT ?').all(limit) as Row[]).map(
    rowToPeriod,
  );
}

export function insertOfflinePeriod(
  db: WritableDB,
  p: { id: string; cause: OfflineCause; startedAt: number; startedBy: string | null; detail: string },
): void {
  sql(db, 'INSERT INTO offline_periods (id, cause, started_at, started_by, detail) VALUES (?, ?, ?, ?, ?)').run(
    p.id,
    p.cause,
    p.startedAt,
    p.startedBy,
    p.detail,
  );
}

export function endOfflinePeriod(
  db: WritableDB,
  id: string,
  end: { endedAt: number; endedBy: string | null; endCause: OfflineCause },
): void {
  sql(db, 'UPDATE offline_periods SET ended_at = ?, ended_by = ?, end_cause = ? WHERE id = ? AND ended_at IS NULL').run(
    end.endedAt,
    end.endedBy,
    end.endCause,
    id,
  );
}

/** Ended periods older than the cutoff whose events head office confirmed (✔✔) leave the till. */
export function pruneOfflinePeriods(db: WritableDB, cutoff: number): number {
  return sql(
    db,
    `DELETE FROM offline_periods WHERE ended_at IS NOT NULL AND ended_at < ?
       AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.type IN ('till.offline', 'till.online') AND NOT ${ackedSql('o.seq')}
                       AND json_extract(o.body, '$.payload.periodId') = offline_periods.id)`,
  ).run(cutoff).changes;
}
