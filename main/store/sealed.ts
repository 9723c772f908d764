import { assert } from '../../shared/assert';
import { pendingRanges } from './outbox';
import { sql, type ReadableDB, type WritableDB } from './db';

/**
 * A queue message packed ahead, while the till was offline (till migration
 * 0009): the whole text, signed with `keyId`, for the gap-free outbox range
 * `firstSeq..lastSeq`.
 */
export interface SealedMessage {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly events: number;
  readonly sales: number;
  readonly keyId: string;
  readonly text: string;
}

interface RawSealed {
  first_seq: number;
  last_seq: number;
  events: number;
  sales: number;
  key_id: string;
  text: string;
}

function fromRow(r: RawSealed): SealedMessage {
  return {
    firstSeq: r.first_seq,
    lastSeq: r.last_seq,
    events: r.events,
    sales: r.sales,
    keyId: r.key_id,
    text: r.text,
  };
}

/** The last sequence a sealed message covers; 0 when there is none. */
export function lastSealedSeq(db: ReadableDB): number {
  return (sql(db, 'SELECT coalesce(max(last_seq), 0) AS last FROM outbox_sealed').get() as { last: number }).last;
}

/** Keeps `m`; the caller runs it in a transaction of its own. Ranges never overlap. */
export function saveSealed(db: WritableDB, m: SealedMessage, at: number): void {
  assert(m.events === m.lastSeq - m.firstSeq + 1, `sealed message ${m.firstSeq}..${m.lastSeq} has a hole`);
  const overlap = sql(db, 'SELECT first_seq FROM outbox_sealed WHERE first_seq <= ? AND last_seq >= ? LIMIT 1').get(
    m.lastSeq,
    m.firstSeq,
  );
  assert(overlap === undefined, `sealed message ${m.firstSeq}..${m.lastSeq} overlaps one already sealed`);
  sql(
    db,
    'INSERT INTO outbox_sealed (first_seq, last_seq, events, sales, key_id, text, sealed_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(m.firstSeq, m.lastSeq, m.events, m.sales, m.keyId, m.text, at);
}

/**
 * The sealed messages a push can send as they are, in sequence order, up to
 * `throughSeq`: signed with `keyId`, and with every event of their range
 * still pending. A message part of which the queue already accepted (or head
 * office already holds) is left for the packer, which sends only what is
 * pending.
 */
export function sendableSealed(db: ReadableDB, keyId: string, throughSeq: number): SealedMessage[] {
  const rows = sql(
    db,
    'SELECT first_seq, last_seq, events, sales, key_id, text FROM outbox_sealed WHERE last_seq <= ? AND key_id = ? ORDER BY first_seq',
  ).all(throughSeq, keyId) as RawSealed[];
  return rows
    .filter((r) => {
      const pending = pendingRanges(db, r.first_seq - 1, r.last_seq);
      return pending.length === 1 && pending[0]?.from === r.first_seq && pending[0].to === r.last_seq;
    })
    .map(fromRow);
}

/** Forgets messages no push will send: signed with another key than the till's, or wholly confirmed (✔✔). */
export function dropUnsendableSealed(db: WritableDB, keyId: string, ackedThrough: number): number {
  return sql(db, 'DELETE FROM outbox_sealed WHERE key_id <> ? OR last_seq <= ?').run(keyId, ackedThrough).changes;
}

/** How many sealed messages the till holds, and their bytes. */
export function sealedCounts(db: ReadableDB): { messages: number; bytes: number } {
  return sql(db, 'SELECT count(*) AS messages, coalesce(sum(length(text)), 0) AS bytes FROM outbox_sealed').get() as {
    messages: number;
    bytes: number;
  };
}
