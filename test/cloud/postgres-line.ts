import { startTcpProxy, type TcpProxy } from '../../scripts/tcp-proxy';
import type { Database } from '../../cloud-worker/db/database';
import { openPostgres } from '../../cloud-worker/db/postgres';

/** A connection pool to a PostgreSQL database through a line the test can cut, stall and reset. */
export async function postgresThroughLine(databaseUrl: string): Promise<{ line: TcpProxy; db: Database }> {
  const url = new URL(databaseUrl);
  const line = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
  url.hostname = '127.0.0.1';
  url.port = String(line.port);
  return { line, db: openPostgres(url.toString(), 2) };
}
