import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Database, DatabaseKind } from '../db/database';
import { openDatabase, type DatabaseConfig } from '../db/open';

/**
 * Test suites run against PGlite always, and against the PostgreSQL server
 * too when DATABASE_URL names one (CI sets it). Each suite gets a database of
 * its own, so that test files running in parallel never meet.
 */
export function databaseKinds(): DatabaseKind[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export interface TestDatabase {
  readonly db: Database;
  /** How another process opens the same database. */
  readonly config: DatabaseConfig;
  /** Opens another handle on it (PostgreSQL only: PGlite has one). */
  reopen(poolSize?: number): Promise<Database>;
  dispose(): Promise<void>;
}

export async function createTestDatabase(kind: DatabaseKind, opts: { folder?: boolean } = {}): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const dir = opts.folder ? mkdtempSync(join(tmpdir(), 'haat-pglite-')) : undefined;
    const config: DatabaseConfig = { pgliteDir: dir };
    const db = await openDatabase(config);
    return {
      db,
      config,
      reopen: () => Promise.reject(new Error('PGlite has one connection in one process')),
      async dispose() {
        await db.close().catch(() => {});
        if (dir) rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('DATABASE_URL is not set');
  const name = `haat_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const config: DatabaseConfig = { databaseUrl: url.toString() };
  const db = await openDatabase(config);
  const extra: Database[] = [];
  return {
    db,
    config,
    async reopen(poolSize) {
      const another = await openDatabase({ ...config, poolSize });
      extra.push(another);
      return another;
    },
    async dispose() {
      for (const d of [db, ...extra]) await d.close().catch(() => {});
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
