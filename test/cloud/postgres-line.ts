import { startTcpProxy, type TcpProxy } from '../../scripts/tcp-proxy';
import type { Database } from '../../cloud-worker/db/database';
import { openPostgres } from '../../cloud-worker/db/postgres';

/** A line to a PostgreSQL database that the test can cut, stall and reset, and the URL that goes through it. */
export async function postgresLine(databaseUrl: string): Promise<{ line: TcpProxy; url: string }> {
  const url = new URL(databaseUrl);
  const line = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
  url.hostname = '127.0.0.1';
  url.port = String(line.port);
  return { line, url: url.toString() };
}

/** A connection pool to a PostgreSQL database through such a line. */
export async function postgresThroughLine(databaseUrl: string): Promise<{ line: TcpProxy; db: Database }> {
  const { line, url } = await postgresLine(databaseUrl);
  return { line, db: openPostgres(url, 2) };
}
