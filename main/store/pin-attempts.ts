import { sql, type ReadableDB, type WritableDB } from './db';

export type PinScope = 'login' | 'approval';

/** Until when PIN entry of this kind is locked, or null when it is open. */
export function pinLockedUntil(db: ReadableDB, scope: PinScope, now: number): number | null {
  const row = sql(db, 'SELECT locked_until FROM pin_attempts WHERE scope = ?').get(scope) as
    { locked_until: number | null } | undefined;
  const until = row?.locked_until ?? null;
  return until !== null && until > now ? until : null;
}

/**
 * Counts a wrong PIN; the `maxAttempts`-th in a row locks PIN entry until
 * `now + lockMs`. Returns the lock's end when this failure set one.
 */
export function recordPinFailure(
  db: WritableDB,
  scope: PinScope,
  now: number,
  maxAttempts: number,
  lockMs: number,
): number | null {
  const row = sql(
    db,
    `INSERT INTO pin_attempts (scope, failures, locked_until) VALUES (?, 1, NULL)
     ON CONFLICT (scope) DO UPDATE SET failures = failures + 1
     RETURNING failures`,
  ).get(scope) as { failures: number };
  if (row.failures < maxAttempts) return null;
  const until = now + lockMs;
  sql(db, 'UPDATE pin_attempts SET failures = 0, locked_until = ? WHERE scope = ?').run(until, scope);
  return until;
}

export function recordPinSuccess(db: WritableDB, scope: PinScope): void {
  sql(db, 'DELETE FROM pin_attempts WHERE scope = ?').run(scope);
}
