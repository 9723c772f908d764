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
  const sealed = sql(
    db,
    `SELECT first_seq AS firstSeq, last_seq AS lastSeq, events, sales, key_id AS keyId, text
       FROM outbox_sealed WHERE last_seq <= ? AND key_id = ? ORDER BY first_seq`,
  ).all(throughSeq, keyId) as SealedMessage[];
  const first = sealed[0];
  if (!first) return [];
  // Both lists are in order and neither overlaps itself: one walk through them.
  const pending = pendingRanges(db, first.firstSeq - 1, throughSeq);
  let k = 0;
  return sealed.filter((m) => {
    while (k < pending.length && pending[k]!.to < m.firstSeq) k++;
    const range = pending[k];
    return range !== undefined && range.from <= m.firstSeq && range.to >= m.lastSeq;
  });
}

/** Forgets messages signed with another key than the till's: no push will send them. */
export function dropSealedByOtherKeys(db: WritableDB, keyId: string): number {
  return sql(db, 'DELETE FROM outbox_sealed WHERE key_id <> ?').run(keyId).changes;
}

/** How many sealed messages the till holds, and their bytes. */
export function sealedCounts(db: ReadableDB): { messages: number; bytes: number } {
  return sql(db, 'SELECT count(*) AS messages, coalesce(sum(length(text)), 0) AS bytes FROM outbox_sealed').get() as {
    messages: number;
    bytes: number;
  };
}
