import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './database';

// Not `new URL('./migrations/', import.meta.url)`: a DOM's URL (happy-dom in
// component tests) resolves that against its page instead of this file.
const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations') + '/';
/** Any constant: it only has to be the same in every process that migrates. */
const MIGRATION_LOCK = 7_291_455;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 4)), name: f, sql: readFileSync(dir + f, 'utf8') }));
}

/**
 * Applies the migrations not yet applied, forward only, each in its own
 * transaction with its bookkeeping row. An advisory lock makes processes
 * that start together (API and workers on one server) take turns; the
 * second finds the work done.
 */
export async function migrate(db: Database, upTo = Infinity, migrations = loadMigrations()): Promise<number[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version > upTo) break;
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (done.length > 0) return;
      try {
        await tx.exec(m.sql);
      } catch (error) {
        throw new Error(`migration ${m.name} failed: ${(error as Error).message}`, { cause: error });
      }
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    });
  }
  return applied;
}
