import type { Queryable } from '../db/database';
import type { SeqRange } from './sequence-ranges';

export interface TillKeyRow {
  readonly keyId: string;
  readonly branch: string;
  readonly till: number;
  readonly publicKey: string;
  /** The key or its till is revoked. */
  readonly revoked: boolean;
}

/** The signing keys named by a receive's messages, in one query. */
export async function findTillKeys(db: Queryable, keyIds: readonly string[]): Promise<Map<string, TillKeyRow>> {
  const rows = await db.query<{
    key_id: string;
    branch: string;
    till_no: number;
    public_key: string;
    revoked: boolean;
  }>(
    `SELECT k.key_id, k.branch, k.till_no, k.public_key,
            (k.revoked_at IS NOT NULL OR t.revoked_at IS NOT NULL) AS revoked
       FROM till_keys k JOIN tills t ON t.branch = k.branch AND t.till_no = k.till_no
      WHERE k.key_id = ANY($1::text[])`,
    [keyIds],
  );
  return new Map(
    rows.map((r) => [
      r.key_id,
      { keyId: r.key_id, branch: r.branch, till: r.till_no, publicKey: r.public_key, revoked: r.revoked },
    ]),
  );
}

export interface TillCredentials {
  readonly branch: string;
  readonly till: number;
  readonly keyId: string;
  readonly publicKey: string;
  readonly tokenHash: string;
}

/** Registers a till with its public key and the hash of its pull token. */
export async function insertTill(tx: Queryable, c: TillCredentials): Promise<void> {
  await tx.query('INSERT INTO tills (branch, till_no) VALUES ($1, $2)', [c.branch, c.till]);
  await tx.query('INSERT INTO till_keys (key_id, branch, till_no, public_key) VALUES ($1, $2, $3, $4)', [
    c.keyId,
    c.branch,
    c.till,
    c.publicKey,
  ]);
  await tx.query('INSERT INTO pull_tokens (token_hash, branch, till_no) VALUES ($1, $2, $3)', [
    c.tokenHash,
    c.branch,
    c.till,
  ]);
}

/** Revokes a till: its key (the worker rejects its messages) and its token (the API its pulls). */
export async function revokeTill(tx: Queryable, branch: string, till: number): Promise<boolean> {
  const rows = await tx.query(
    'UPDATE tills SET revoked_at = coalesce(revoked_at, now()) WHERE branch = $1 AND till_no = $2 RETURNING 1',
    [branch, till],
  );
  if (rows.length === 0) return false;
  await tx.query('UPDATE till_keys SET revoked_at = coalesce(revoked_at, now()) WHERE branch = $1 AND till_no = $2', [
    branch,
    till,
  ]);
  await tx.query('UPDATE pull_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE branch = $1 AND till_no = $2', [
    branch,
    till,
  ]);
  return true;
}

/** The till a pull token belongs to, unless it or its till is revoked. */
export async function findTillByTokenHash(
  db: Queryable,
  tokenHash: string,
): Promise<{ branch: string; till: number } | undefined> {
  const [row] = await db.query<{ branch: string; till_no: number }>(
    `SELECT p.branch, p.till_no FROM pull_tokens p JOIN tills t ON t.branch = p.branch AND t.till_no = p.till_no
      WHERE p.token_hash = $1 AND p.revoked_at IS NULL AND t.revoked_at IS NULL`,
    [tokenHash],
  );
  return row ? { branch: row.branch, till: row.till_no } : undefined;
}

export interface TillAck {
  readonly till: number;
  readonly acked: number;
  readonly highest: number;
  readonly missing: SeqRange[];
}

/** For each live till of the branch: what head office holds of its sequence. */
export async function branchAcks(db: Queryable, branch: string): Promise<TillAck[]> {
  const tills = await db.query<{ till_no: number; acked_seq: number; highest_seq: number }>(
    'SELECT till_no, acked_seq, highest_seq FROM tills WHERE branch = $1 AND revoked_at IS NULL ORDER BY till_no',
    [branch],
  );
  const gaps = await db.query<{ till_no: number; first_seq: number; last_seq: number }>(
    'SELECT till_no, first_seq, last_seq FROM till_missing_ranges WHERE branch = $1 ORDER BY till_no, first_seq',
    [branch],
  );
  return tills.map((t) => ({
    till: t.till_no,
    acked: t.acked_seq,
    highest: t.highest_seq,
    missing: gaps.filter((g) => g.till_no === t.till_no).map((g) => ({ first: g.first_seq, last: g.last_seq })),
  }));
}

/** What a till said of its database on a pull; dated by the server's clock, aged from then on. */
export async function recordTillDbHealth(
  db: Queryable,
  till: { readonly branch: string; readonly till: number },
  health: {
    readonly dbBytes: number;
    readonly rowsWaiting: number;
    readonly lastSeq: number | null;
    readonly oldestUnsynced: { readonly seq: number; readonly ageMs: number } | null;
  },
): Promise<void> {
  await db.query(
    `UPDATE tills SET db_bytes = $3, rows_waiting = $4, oldest_unsynced_seq = $5, oldest_unsynced_age_ms = $6,
            reported_last_seq = $7, db_reported_at = now()
      WHERE branch = $1 AND till_no = $2`,
    [
      till.branch,
      till.till,
      health.dbBytes,
      Math.min(health.rowsWaiting, 2_147_483_647),
      health.oldestUnsynced?.seq ?? null,
      health.oldestUnsynced?.ageMs ?? null,
      health.lastSeq,
    ],
  );
}
