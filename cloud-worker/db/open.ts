import type { Database } from './database';
import { migrate } from './migrate';
import { openPglite } from './pglite';
import { openPostgres } from './postgres';

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
