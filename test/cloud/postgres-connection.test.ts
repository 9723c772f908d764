import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TcpProxy } from '../../scripts/tcp-proxy';
import { createTestDatabase, type TestDatabase } from '../../cloud-worker/testing/test-database';
import type { Database } from '../../cloud-worker/db/database';
import { postgresThroughLine } from './postgres-line';

/**
 * PostgreSQL restarting, or the line to it reset, while a worker holds a
 * connection for a transaction: the transaction fails, the process goes on,
 * and the next query finds the server again.
 */
describe.skipIf(!process.env.DATABASE_URL)('a PostgreSQL connection lost mid-transaction', () => {
  let t: TestDatabase;
  let line: TcpProxy;
  let db: Database;

  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    ({ line, db } = await postgresThroughLine(t.config.databaseUrl!));
  });

  afterAll(async () => {
    await db?.close().catch(() => undefined);
    await line?.close();
    await t?.dispose();
  });

  it('fails the transaction without ending the process, and reconnects', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query('SELECT 1');
        line.reset();
        // The reset arrives while no query runs: the moment an unwatched client would crash the process.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await tx.query('SELECT 1');
      }),
    ).rejects.toThrow();
    expect(await db.query<{ n: number }>('SELECT 2 AS n')).toEqual([{ n: 2 }]);
  });
});
