import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import type { Database, Queryable, Row } from './database';

const INT8 = 20;

/**
 * A pool on a real PostgreSQL server. bigint columns come back as numbers,
 * as PGlite gives them: every bigint we store (poisha, sequences, ms) is far
 * below 2^53.
 */
export function openPostgres(connectionString: string, max = 10): Database {
  const pool = new pg.Pool({
    connectionString,
    max,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
    async query<R extends Row>(text: string, params: readonly unknown[] = []) {
      return (await q.query<R>(text, params as unknown[])).rows;
    },
    async exec(text: string) {
      await q.query(text);
    },
    ...('release' in q
      ? {
          async copyFrom(table: string, columns: readonly string[], binary: Uint8Array | readonly Uint8Array[]) {
            const sink = q.query(copyFromStdin(`COPY ${table} (${columns.join(', ')}) FROM STDIN (FORMAT binary)`));
            await pipeline(Readable.from(binary instanceof Uint8Array ? [binary] : binary), sink);
          },
        }
      : {}),
  });
  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      let broken = false;
      // The pool listens for errors only on idle clients. A checked-out client whose server
      // goes away between two queries (a restart, a reset line) emits 'error' with no
      // listener, which would end the process: mark it broken instead, and the next query fails.
      const onError = () => {
        broken = true;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw error;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
