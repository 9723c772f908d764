import { isConnectionLost, type Database } from './database';
import { migrate } from './migrate';
import { openPglite } from './pglite';
import { openPostgres } from './postgres';
import { sleep } from '../sleep';

export interface DatabaseConfig {
  /** A PostgreSQL server; when unset, embedded PGlite in `pgliteDir`. */
  readonly databaseUrl?: string | undefined;
  readonly pgliteDir?: string | undefined;
  readonly poolSize?: number;
}

/** Opens the central database and brings its schema up to date. */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  const db = config.databaseUrl
    ? openPostgres(config.databaseUrl, config.poolSize)
    : await openPglite(config.pgliteDir);
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

export interface WaitOptions {
  /** Stops the waiting: the last error is thrown. */
  readonly signal?: AbortSignal;
  /** Told each time the server could not be reached, and how long until the next try. */
  readonly onWait?: (error: unknown, retryInMs: number) => void;
}

/**
 * Opens the central database as `openDatabase` does, but waits while the
 * server cannot be reached (a process started before its database, or
 * during a restart or failover) instead of failing: tries again with
 * doubling waits, 250 ms up to 15 s, until it answers. Any other error, such
 * as a refused password or a failed migration, fails at once.
 */
export async function openDatabaseWhenReachable(config: DatabaseConfig, opts: WaitOptions = {}): Promise<Database> {
  let waitMs = 250;
  for (;;) {
    try {
      return await openDatabase(config);
    } catch (error) {
      if (!isConnectionLost(error) || opts.signal?.aborted) throw error;
      opts.onWait?.(error, waitMs);
      await sleep(waitMs, opts.signal);
      waitMs = Math.min(15_000, waitMs * 2);
    }
  }
}
