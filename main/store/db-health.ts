import { statSync } from 'node:fs';
import { sql, type ReadableDB } from './db';
import { ackedThrough } from './outbox';

/** How big the till's database is and how much of it waits for head office. */
export interface TillDbHealth {
  /** The database file and its write-ahead log, in bytes. */
  readonly bytes: number;
  /** Outbox events the central database has not confirmed (✔✔) yet. */
  readonly rowsWaiting: number;
  /** The oldest sale head office has not confirmed, by its outbox sequence and device time. */
  readonly oldestUnsyncedSale: { readonly seq: number; readonly at: number } | null;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export function tillDbHealth(db: ReadableDB): TillDbHealth {
  const pages = db.pragma('page_count', { simple: true }) as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const wal = db.memory ? 0 : fileSize(`${db.name}-wal`);
  // What head office has not confirmed (✔✔) lies above one sequence: a range of the primary key.
  const acked = ackedThrough(db);
  const waiting = sql(db, 'SELECT count(*) AS n FROM outbox WHERE seq > ?').get(acked) as { n: number };
  const oldest = sql(
    db,
    "SELECT seq, created_at FROM outbox WHERE seq > ? AND type = 'sale.completed' ORDER BY seq LIMIT 1",
  ).get(acked) as { seq: number; created_at: number } | undefined;
  return {
    bytes: pages * pageSize + wal,
    rowsWaiting: waiting.n,
    oldestUnsyncedSale: oldest ? { seq: oldest.seq, at: oldest.created_at } : null,
  };
}
