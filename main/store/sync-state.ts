import type { SyncFailureKind } from '../sync/failure';
import { sql, type ReadableDB, type WritableDB } from './db';

export interface SyncState {
  readonly pullCursor: string;
  readonly queueUrl: string | null;
  readonly lastPullAt: number | null;
  /** Head office's clock at the last pull, beside ours in `lastPullAt`: the skew, for display only. */
  readonly lastServerTime: number | null;
  readonly lastAttemptAt: number | null;
  readonly lastSuccessAt: number | null;
  readonly lastError: { readonly kind: SyncFailureKind; readonly message: string; readonly at: number } | null;
}

interface Row {
  pull_cursor: string;
  queue_url: string | null;
  last_pull_at: number | null;
  last_server_time: number | null;
  last_attempt_at: number | null;
  last_success_at: number | null;
  last_error_kind: string | null;
  last_error: string | null;
  last_error_at: number | null;
}

export function getSyncState(db: ReadableDB): SyncState {
  const r = sql(db, 'SELECT * FROM sync_state WHERE id = 1').get() as Row;
  return {
    pullCursor: r.pull_cursor,
    queueUrl: r.queue_url,
    lastPullAt: r.last_pull_at,
    lastServerTime: r.last_server_time,
    lastAttemptAt: r.last_attempt_at,
    lastSuccessAt: r.last_success_at,
    lastError:
      r.last_error_kind && r.last_error && r.last_error_at !== null
        ? { kind: r.last_error_kind as SyncFailureKind, message: r.last_error, at: r.last_error_at }
        : null,
  };
}

/** Stores a pulled page's cursor with the credential and clocks that came with it; call in the page's transaction. */
export function recordPull(
  db: WritableDB,
  page: { cursor: string; queueUrl: string; serverTime: number },
  at: number,
): void {
  sql(
    db,
    'UPDATE sync_state SET pull_cursor = ?, queue_url = ?, last_pull_at = ?, last_server_time = ? WHERE id = 1',
  ).run(page.cursor, page.queueUrl, at, page.serverTime);
}

export function recordSyncAttempt(db: WritableDB, at: number): void {
  sql(db, 'UPDATE sync_state SET last_attempt_at = ? WHERE id = 1').run(at);
}

export function recordSyncSuccess(db: WritableDB, at: number): void {
  sql(
    db,
    'UPDATE sync_state SET last_success_at = ?, last_error_kind = NULL, last_error = NULL, last_error_at = NULL WHERE id = 1',
  ).run(at);
}

export function recordSyncFailure(db: WritableDB, kind: SyncFailureKind, message: string, at: number): void {
  sql(db, 'UPDATE sync_state SET last_error_kind = ?, last_error = ?, last_error_at = ? WHERE id = 1').run(
    kind,
    message,
    at,
  );
}
