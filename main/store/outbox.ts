import { assert } from '../../shared/assert';
import type { IdFactory } from '../../shared/ids';
import {
  acceptsEvent,
  CURRENT_VERSION,
  type EventPayload,
  type EventType,
  parseEvent,
  type TillEvent,
} from '../../shared/wire/events';
import { sql, type ReadableDB, type WritableDB } from './db';
import { nextCounter } from './till';

/**
 * Appends a fact to the outbox with the till's next gap-free sequence. Must
 * be called inside the transaction that records the fact, so that the fact
 * and its outbox row commit together or not at all. The event is checked
 * against the wire schema here: a till never queues what the cloud would
 * reject.
 *
 * The cloud rejects an event that parseEvent refuses, so that is the test
 * every event must pass before it is written. acceptsEvent answers it for a
 * valid sale in about 2 µs, where parseEvent spends some 8 µs copying it;
 * acceptsEvent never says yes where parseEvent would say no (it knows fewer
 * schema features and refuses the rest), so when it does not vouch for an
 * event, parseEvent decides and gives the reason. The outcome is parseEvent's
 * in every case.
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
  const raw = { seq, id: ids.event(), type, v: CURRENT_VERSION[type], at, payload };
  if (!acceptsEvent(raw)) {
    const parsed = parseEvent(raw);
    if (!parsed.ok) {
      throw new Error(
        `outbox event ${type} does not match its wire schema: ${parsed.error.field}: ${parsed.error.reason}`,
      );
    }
  }
  sql(db, 'INSERT INTO outbox (seq, event_id, type, body, created_at) VALUES (?, ?, ?, ?, ?)').run(
    seq,
    raw.id,
    type,
    JSON.stringify(raw),
    at,
  );
  return raw as TillEvent;
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

/** The queue accepted the events `firstSeq..lastSeq` (✔). */
export function markQueued(db: WritableDB, firstSeq: number, lastSeq: number, at: number): number {
  return sql(db, 'UPDATE outbox SET queued_at = ? WHERE seq BETWEEN ? AND ? AND queued_at IS NULL').run(
    at,
    firstSeq,
    lastSeq,
  ).changes;
}

/**
 * Applies what the central side reported for this till: it holds every event
 * up to `ackedThrough` (✔✔), and is missing the listed ranges above it. Missing
 * events go back to pending so the next push sends them again; that is
 * harmless because the central side ingests by event id.
 */
export function applyAcknowledgement(
  db: WritableDB,
  ack: { readonly ackedThrough: number; readonly missing: readonly { readonly from: number; readonly to: number }[] },
  at: number,
  /** Only events queued before this go back: a message sent a moment ago may simply not be ingested yet. */
  queuedBefore: number = at,
): { acked: number; requeued: number } {
  const acked = sql(
    db,
    'UPDATE outbox SET acked_at = ?, queued_at = coalesce(queued_at, ?) WHERE seq <= ? AND acked_at IS NULL',
  ).run(at, at, ack.ackedThrough).changes;
  let requeued = 0;
  const reset = sql(
    db,
    'UPDATE outbox SET queued_at = NULL WHERE seq BETWEEN ? AND ? AND acked_at IS NULL AND queued_at IS NOT NULL AND queued_at <= ?',
  );
  for (const range of ack.missing) requeued += reset.run(range.from, range.to, queuedBefore).changes;
  return { acked, requeued };
}

/**
 * Events the queue accepted long ago that the central database still does
 * not confirm: the message may have been lost after it was accepted. They go
 * back to pending to be sent again.
 */
export function requeueStale(db: WritableDB, queuedBefore: number): number {
  return sql(
    db,
    'UPDATE outbox SET queued_at = NULL WHERE acked_at IS NULL AND queued_at IS NOT NULL AND queued_at < ?',
  ).run(queuedBefore).changes;
}

/** The first events not yet accepted by the queue, in sequence order. */
export function pendingEvents(db: ReadableDB, limit: number): OutboxRow[] {
  return (
    sql(db, 'SELECT * FROM outbox WHERE queued_at IS NULL ORDER BY seq LIMIT ?').all(limit) as RawOutboxRow[]
  ).map(rowToOutbox);
}

/** An outbox event as a push packs it: its stored JSON as UTF-8 bytes, never parsed. */
export interface PendingEvent {
  readonly seq: number;
  readonly type: string;
  readonly body: Uint8Array;
}

/**
 * Pending events in `afterSeq < seq <= throughSeq`, in sequence order: a
 * push reads the outbox round by round from where its last round stopped.
 * The body comes as the bytes SQLite holds (CAST AS BLOB), without making a
 * JavaScript string of each only to encode it back to UTF-8.
 */
export function pendingEventsBetween(
  db: ReadableDB,
  afterSeq: number,
  throughSeq: number,
  limit: number,
): PendingEvent[] {
  return sql(
    db,
    `SELECT seq, type, CAST(body AS BLOB) AS body FROM outbox
      WHERE seq > ? AND seq <= ? AND queued_at IS NULL ORDER BY seq LIMIT ?`,
  ).all(afterSeq, throughSeq, limit) as PendingEvent[];
}
