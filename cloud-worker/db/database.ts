/**
 * The one small interface the cloud side needs from a database, so that the
 * same repositories run on embedded PGlite (the local default) and on a real
 * PostgreSQL server (production). Both speak the same SQL; what differs is
 * connections: PGlite has exactly one, PostgreSQL a pool.
 */
export type Row = Record<string, unknown>;

export interface Queryable {
  query<R extends Row = Row>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** Several statements, no parameters (migrations). */
  exec(text: string): Promise<void>;
  /**
   * `COPY table (columns) FROM STDIN` with rows in COPY's binary format, where
   * the backend has it (PostgreSQL); the fastest way rows go in. The stream
   * may come in parts, sent one after the other without being joined.
   */
  copyFrom?(table: string, columns: readonly string[], binary: Uint8Array | readonly Uint8Array[]): Promise<void>;
}

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** SQLSTATEs after which the same transaction may simply be tried again. */
const RETRYABLE = new Set(['40001', '40P01']);

export function sqlState(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}

export function isRetryable(error: unknown): boolean {
  return RETRYABLE.has(sqlState(error) ?? '');
}

/** Data errors (class 22) and integrity violations (class 23): the input is at fault, not the database. */
export function isDataError(error: unknown): boolean {
  const state = sqlState(error) ?? '';
  return state.startsWith('22') || state.startsWith('23');
}

const SOCKET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

/**
 * The database could not be reached or dropped the connection (a restart, a
 * failover, a cut line), as opposed to answering with an error: what was
 * being written may simply be written again once it answers.
 */
export function isConnectionLost(error: unknown): boolean {
  const state = sqlState(error) ?? '';
  if (SOCKET_ERRORS.has(state) || state.startsWith('08') || ['57P01', '57P02', '57P03'].includes(state)) return true;
  return error instanceof Error && /^Connection terminated/.test(error.message);
}

/** A transaction tried again after a deadlock or serialization failure, a few times. */
export async function withRetry<T>(db: Database, fn: (tx: Queryable) => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await db.transaction(fn);
    } catch (error) {
      if (i >= attempts || !isRetryable(error)) throw error;
    }
  }
}
