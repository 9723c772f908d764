import { assert } from '../../shared/assert';
import type { IdFactory } from '../../shared/ids';
import { type EventPayload, type EventType, parseEvent, type TillEvent } from '../../shared/wire/events';
import { sql, type ReadableDB, type WritableDB } from './db';
import { nextCounter } from './till';

/**
 * Appends a fact to the outbox with the till's next gap-free sequence. Must
 * be called inside the transaction that records the fact, so that the fact
 * and its outbox row commit together or not at all. The event is checked
 * against the wire schema here: a till never queues what the cloud would
 * reject.
 */
export function appendEvent<T extends EventType>(
  db: WritableDB,
  ids: IdFactory,
  type: T,
  payload: EventPayload<T>,
  at: number,
): TillEvent {
  assert(db.inTransaction, 'appendEvent runs inside the transaction that records the fact');
  const seq = nextCounter(db, 'outbox');
  const raw = { seq, id: ids.event(), type, v: 1, at, payload };
  const parsed = parseEvent(raw);
  if (!parsed.ok) {
    throw new Error(
      `outbox event ${type} does not match its wire schema: ${parsed.error.field}: ${parsed.error.reason}`,
    );
  }
  sql(db, 'INSERT INTO outbox (seq, event_id, type, body, created_at) VALUES (?, ?, ?, ?, ?)').run(
    seq,
    raw.id,
    type,
    JSON.stringify(raw),
    at,
  );
  return parsed.value;
}

export interface OutboxRow {
  readonly seq: number;
  readonly eventId: string;
  readonly type: string;
  readonly body: string;
  readonly createdAt: number;
  readonly queuedAt: number | null;
  readonly ackedAt: number | null;
}

interface RawOutboxRow {
  seq: number;
  event_id: string;
  type: string;
  body: string;
  created_at: number;
  queued_at: number | null;
  acked_at: number | null;
}

function rowToOutbox(r: RawOutboxRow): OutboxRow {
  return {
    seq: r.seq,
    eventId: r.event_id,
    type: r.type,
    body: r.body,
    createdAt: r.created_at,
    queuedAt: r.queued_at,
    ackedAt: r.acked_at,
  };
}

export function readOutbox(db: ReadableDB, fromSeq = 1, limit = 1000): OutboxRow[] {
  return (
    sql(db, 'SELECT * FROM outbox WHERE seq >= ? ORDER BY seq LIMIT ?').all(fromSeq, limit) as RawOutboxRow[]
  ).map(rowToOutbox);
}

export interface OutboxCounts {
  readonly lastSeq: number;
  /** Not yet accepted by the cloud queue. */
  readonly pending: number;
  /** Accepted by the queue (✔), not yet confirmed by the central database (✔✔). */
  readonly queuedNotAcked: number;
}

export function outboxCounts(db: ReadableDB): OutboxCounts {
  const row = sql(
    db,
    `SELECT (SELECT last FROM counters WHERE name = 'outbox') AS last_seq,
            (SELECT count(*) FROM outbox WHERE queued_at IS NULL) AS pending,
            (SELECT count(*) FROM outbox WHERE queued_at IS NOT NULL AND acked_at IS NULL) AS queued`,
  ).get() as { last_seq: number; pending: number; queued: number };
  return { lastSeq: row.last_seq, pending: row.pending, queuedNotAcked: row.queued };
}
