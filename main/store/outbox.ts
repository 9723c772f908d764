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
import type { SyncTick } from '../../shared/pos-api';
import { inTransaction, sql, type ReadableDB, type WritableDB } from './db';
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

/** A range of outbox sequences, both ends included. */
export interface SeqRange {
  readonly from: number;
  readonly to: number;
}

export interface OutboxRow {
  readonly seq: number;
  readonly eventId: string;
  readonly type: string;
  readonly body: string;
  readonly createdAt: number;
  readonly tick: SyncTick;
}

interface RawOutboxRow {
  seq: number;
  event_id: string;
  type: string;
  body: string;
  created_at: number;
}

interface QueuedRange {
  first_seq: number;
  last_seq: number;
  queued_at: number;
}

/*
 * The sync marks live in two small tables beside the outbox (till migration
 * 0006), so that marking a message's range never rewrites the event rows:
 *
 * - `outbox_acked.through_seq`: head office holds every event up to it (✔✔).
 *   Acknowledgements are always a prefix, and rows are pruned only below it,
 *   so above it the outbox holds every sequence up to its counter.
 * - `outbox_queued`: non-overlapping ranges above it that the queue accepted
 *   (✔), with when. A sequence above it in no range is pending.
 */

/** SQL true when the sequence `seq` (an SQL expression) is confirmed by head office (✔✔). */
export function ackedSql(seq: string): string {
  return `(${seq} <= (SELECT through_seq FROM outbox_acked))`;
}

/**
 * SQL true when the sequence `seq` (an SQL expression) lies in a range the
 * queue accepted: ranges do not overlap, so only the last one starting at or
 * before it can hold it.
 */
export function queuedSql(seq: string): string {
  return `coalesce((SELECT q.last_seq >= ${seq} FROM outbox_queued q WHERE q.first_seq <= ${seq} ORDER BY q.first_seq DESC LIMIT 1), 0)`;
}

export function ackedThrough(db: ReadableDB): number {
  return (sql(db, 'SELECT through_seq FROM outbox_acked WHERE id = 1').get() as { through_seq: number }).through_seq;
}

/** The last sequence the till has written to its outbox. */
export function lastOutboxSeq(db: ReadableDB): number {
  return (sql(db, "SELECT last FROM counters WHERE name = 'outbox'").get() as { last: number }).last;
}

/** The ✔ ranges that overlap `from..to`, in order. */
function queuedOverlapping(db: ReadableDB, from: number, to: number): QueuedRange[] {
  // The range that starts before `from` may still reach into it; then every one starting inside.
  const before = sql(
    db,
    'SELECT first_seq, last_seq, queued_at FROM outbox_queued WHERE first_seq < ? ORDER BY first_seq DESC LIMIT 1',
  ).get(from) as QueuedRange | undefined;
  const inside = sql(
    db,
    'SELECT first_seq, last_seq, queued_at FROM outbox_queued WHERE first_seq BETWEEN ? AND ? ORDER BY first_seq',
  ).all(from, to) as QueuedRange[];
  return before && before.last_seq >= from ? [before, ...inside] : inside;
}

/** The parts of `from..to` that none of `ranges` (in order, not overlapping) covers. */
function gapsBetween(ranges: readonly QueuedRange[], from: number, to: number): SeqRange[] {
  const gaps: SeqRange[] = [];
  let next = from;
  for (const r of ranges) {
    if (r.first_seq > next) gaps.push({ from: next, to: Math.min(to, r.first_seq - 1) });
    next = Math.max(next, r.last_seq + 1);
    if (next > to) return gaps;
  }
  if (next <= to) gaps.push({ from: next, to });
  return gaps;
}

/**
 * The pending (not ✔) sequences in `afterSeq < seq <= throughSeq`, as ranges
 * in order: what a push still has to send there.
 */
export function pendingRanges(db: ReadableDB, afterSeq: number, throughSeq: number): SeqRange[] {
  const from = Math.max(afterSeq, ackedThrough(db)) + 1;
  const to = Math.min(throughSeq, lastOutboxSeq(db));
  return from > to ? [] : gapsBetween(queuedOverlapping(db, from, to), from, to);
}

export function readOutbox(db: ReadableDB, fromSeq = 1, limit = 1000): OutboxRow[] {
  const rows = sql(db, 'SELECT * FROM outbox WHERE seq >= ? ORDER BY seq LIMIT ?').all(
    fromSeq,
    limit,
  ) as RawOutboxRow[];
  const first = rows[0];
  const last = rows.at(-1);
  if (!first || !last) return [];
  const acked = ackedThrough(db);
  const queued = queuedOverlapping(db, first.seq, last.seq);
  let k = 0;
  return rows.map((r) => {
    while (k < queued.length && (queued[k] as QueuedRange).last_seq < r.seq) k++;
    const q = queued[k];
    const tick: SyncTick = r.seq <= acked ? 'acked' : q && q.first_seq <= r.seq ? 'queued' : 'local';
    return { seq: r.seq, eventId: r.event_id, type: r.type, body: r.body, createdAt: r.created_at, tick };
  });
}

export interface OutboxCounts {
  readonly lastSeq: number;
  /** Not yet accepted by the cloud queue. */
  readonly pending: number;
  /** Accepted by the queue (✔), not yet confirmed by the central database (✔✔). */
  readonly queuedNotAcked: number;
}

/** Counted from the marks alone: above ✔✔ every sequence up to the counter is in the outbox. */
export function outboxCounts(db: ReadableDB): OutboxCounts {
  const row = sql(
    db,
    `SELECT (SELECT last FROM counters WHERE name = 'outbox') AS last_seq,
            (SELECT through_seq FROM outbox_acked WHERE id = 1) AS acked,
            (SELECT coalesce(sum(last_seq - first_seq + 1), 0) FROM outbox_queued) AS queued`,
  ).get() as { last_seq: number; acked: number; queued: number };
  return { lastSeq: row.last_seq, pending: row.last_seq - row.acked - row.queued, queuedNotAcked: row.queued };
}

/**
 * Adds `range` as ✔ at `at`, joined with a neighbouring range marked at the
 * same moment, so that a push marking message after message leaves one row.
 */
function addQueued(db: WritableDB, range: SeqRange, at: number): void {
  const from = range.from;
  let to = range.to;
  const left = sql(
    db,
    'SELECT first_seq, last_seq, queued_at FROM outbox_queued WHERE first_seq < ? ORDER BY first_seq DESC LIMIT 1',
  ).get(from) as QueuedRange | undefined;
  const right = sql(db, 'SELECT first_seq, last_seq, queued_at FROM outbox_queued WHERE first_seq = ?').get(to + 1) as
    QueuedRange | undefined;
  if (right?.queued_at === at) {
    sql(db, 'DELETE FROM outbox_queued WHERE first_seq = ?').run(right.first_seq);
    to = right.last_seq;
  }
  if (left?.last_seq === from - 1 && left.queued_at === at) {
    sql(db, 'UPDATE outbox_queued SET last_seq = ? WHERE first_seq = ?').run(to, left.first_seq);
    return;
  }
  sql(db, 'INSERT INTO outbox_queued (first_seq, last_seq, queued_at) VALUES (?, ?, ?)').run(from, to, at);
}

/** The queue accepted the events `firstSeq..lastSeq` (✔); returns how many were not ✔ before. */
export function markQueued(db: WritableDB, firstSeq: number, lastSeq: number, at: number): number {
  return inTransaction(db, () => {
    let marked = 0;
    for (const gap of pendingRanges(db, firstSeq - 1, lastSeq)) {
      addQueued(db, gap, at);
      marked += gap.to - gap.from + 1;
    }
    return marked;
  });
}

/**
 * Takes `from..to` out of the ✔ ranges queued at or before `queuedAtMost`,
 * so those events are pending again; returns how many.
 */
function unqueue(db: WritableDB, from: number, to: number, queuedAtMost: number): number {
  let count = 0;
  for (const r of queuedOverlapping(db, from, to)) {
    if (r.queued_at > queuedAtMost) continue;
    sql(db, 'DELETE FROM outbox_queued WHERE first_seq = ?').run(r.first_seq);
    const keep = sql(db, 'INSERT INTO outbox_queued (first_seq, last_seq, queued_at) VALUES (?, ?, ?)');
    if (r.first_seq < from) keep.run(r.first_seq, from - 1, r.queued_at);
    if (r.last_seq > to) keep.run(to + 1, r.last_seq, r.queued_at);
    count += Math.min(r.last_seq, to) - Math.max(r.first_seq, from) + 1;
  }
  return count;
}

/**
 * Applies what the central side reported for this till: it holds every event
 * up to `ackedThrough` (✔✔), and is missing the listed ranges above it. Missing
 * events go back to pending so the next push sends them again; that is
 * harmless because the central side ingests by event id.
 */
export function applyAcknowledgement(
  db: WritableDB,
  ack: { readonly ackedThrough: number; readonly missing: readonly SeqRange[] },
  at: number,
  /** Only events queued before this go back: a message sent a moment ago may simply not be ingested yet. */
  queuedBefore: number = at,
): { acked: number; requeued: number } {
  return inTransaction(db, () => {
    const before = ackedThrough(db);
    // Only events this till has written: a sequence it has not used yet is not acknowledged in advance.
    const through = Math.min(ack.ackedThrough, lastOutboxSeq(db));
    let acked = 0;
    if (through > before) {
      sql(db, 'UPDATE outbox_acked SET through_seq = ? WHERE id = 1').run(through);
      sql(db, 'DELETE FROM outbox_queued WHERE last_seq <= ?').run(through);
      sql(db, 'UPDATE outbox_queued SET first_seq = ? WHERE first_seq <= ?').run(through + 1, through);
      // Messages packed ahead for events head office now holds will never be sent.
      sql(db, 'DELETE FROM outbox_sealed WHERE last_seq <= ?').run(through);
      acked = through - before;
    }
    let requeued = 0;
    for (const range of ack.missing) {
      const from = Math.max(range.from, Math.max(before, through) + 1);
      if (from <= range.to) requeued += unqueue(db, from, range.to, queuedBefore);
    }
    return { acked, requeued };
  });
}

/**
 * Events the queue accepted long ago that the central database still does
 * not confirm: the message may have been lost after it was accepted. They go
 * back to pending to be sent again.
 */
export function requeueStale(db: WritableDB, queuedBefore: number): number {
  const gone = sql(db, 'DELETE FROM outbox_queued WHERE queued_at < ? RETURNING first_seq, last_seq').all(
    queuedBefore,
  ) as QueuedRange[];
  return gone.reduce((n, r) => n + r.last_seq - r.first_seq + 1, 0);
}

/** An outbox event as a push packs it: its stored JSON as UTF-8 bytes, never parsed. */
export interface PendingEvent {
  readonly seq: number;
  readonly type: string;
  readonly body: Uint8Array;
}

/**
 * Pending events in `afterSeq < seq <= throughSeq`, at most `limit`, in
 * sequence order: a push reads the outbox round by round from where its last
 * round stopped. Only the pending ranges' rows are read, by sequence. The
 * body comes as the bytes SQLite holds (CAST AS BLOB), without making a
 * JavaScript string of each only to encode it back to UTF-8.
 */
export function pendingEventsBetween(
  db: ReadableDB,
  afterSeq: number,
  throughSeq: number,
  limit: number,
): PendingEvent[] {
  const events: PendingEvent[] = [];
  const read = sql(
    db,
    'SELECT seq, type, CAST(body AS BLOB) AS body FROM outbox WHERE seq BETWEEN ? AND ? ORDER BY seq LIMIT ?',
  );
  for (const range of pendingRanges(db, afterSeq, throughSeq)) {
    if (events.length >= limit) break;
    events.push(...(read.all(range.from, range.to, limit - events.length) as PendingEvent[]));
  }
  return events;
}
