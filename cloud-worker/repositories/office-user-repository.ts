import { randomUUID } from 'node:crypto';
import { hashSecret, verifySecret } from '../auth/scrypt';
import type { Queryable } from '../db/database';

/** Head office's users (the `admins` table): admins change things, viewers only read. */
export type OfficeRole = 'admin' | 'viewer';
export const OFFICE_ROLES: readonly OfficeRole[] = ['admin', 'viewer'];

/** Failed logins counted over this window; past the limit, that account or address waits. */
export const LOGIN_WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

export interface OfficeUserRow {
  readonly id: string;
  readonly email: string;
  readonly role: OfficeRole;
  readonly active: boolean;
  readonly createdAt: number;
}

export async function createOfficeUser(
  db: Queryable,
  user: { email: string; password: string; role: OfficeRole },
): Promise<string> {
  const id = randomUUID();
  await db.query('INSERT INTO admins (id, email, password_hash, role) VALUES ($1, $2, $3, $4)', [
    id,
    user.email.toLowerCase(),
    await hashSecret(user.password),
    user.role,
  ]);
  return id;
}

export async function listOfficeUsers(db: Queryable): Promise<OfficeUserRow[]> {
  const rows = await db.query<{ id: string; email: string; role: OfficeRole; active: boolean; created_at: Date }>(
    'SELECT id, email, role, active, created_at FROM admins ORDER BY email',
  );
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    role: r.role,
    active: r.active,
    createdAt: new Date(r.created_at).getTime(),
  }));
}

/** Changes a user's role or switches them off; switching off ends their sessions at once. */
export async function updateOfficeUser(
  db: Queryable,
  id: string,
  change: { role?: OfficeRole | undefined; active?: boolean | undefined },
): Promise<boolean> {
  const rows = await db.query(
    'UPDATE admins SET role = coalesce($2, role), active = coalesce($3, active) WHERE id = $1 RETURNING 1',
    [id, change.role ?? null, change.active ?? null],
  );
  if (change.active === false) await db.query('DELETE FROM admin_sessions WHERE admin_id = $1', [id]);
  return rows.length > 0;
}

const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/** The active user these credentials belong to; the hash is checked even for an unknown email, so timing tells nothing. */
export async function checkPassword(
  db: Queryable,
  email: string,
  password: string,
): Promise<{ id: string; email: string; role: OfficeRole } | undefined> {
  const [row] = await db.query<{ id: string; email: string; role: OfficeRole; password_hash: string; active: boolean }>(
    'SELECT id, email, role, password_hash, active FROM admins WHERE email = $1',
    [email.toLowerCase()],
  );
  const ok = await verifySecret(password, row?.password_hash ?? DUMMY_HASH);
  return ok && row?.active ? { id: row.id, email: row.email, role: row.role } : undefined;
}

export async function startOfficeSession(
  db: Queryable,
  userId: string,
  tokenHash: string,
  hours: number,
  csrfToken: string | null,
): Promise<Date> {
  const [row] = await db.query<{ expires_at: Date }>(
    `INSERT INTO admin_sessions (token_hash, admin_id, expires_at, csrf_token)
     VALUES ($1, $2, now() + make_interval(hours => $3), $4) RETURNING expires_at`,
    [tokenHash, userId, hours, csrfToken],
  );
  return new Date(row!.expires_at);
}

export interface OfficeSession {
  readonly userId: string;
  readonly email: string;
  readonly role: OfficeRole;
  /** Null for a bearer session. */
  readonly csrfToken: string | null;
}

export async function findOfficeSession(db: Queryable, tokenHash: string): Promise<OfficeSession | undefined> {
  const [row] = await db.query<{ admin_id: string; email: string; role: OfficeRole; csrf_token: string | null }>(
    `SELECT s.admin_id, a.email, a.role, s.csrf_token
       FROM admin_sessions s JOIN admins a ON a.id = s.admin_id
      WHERE s.token_hash = $1 AND s.expires_at > now() AND a.active`,
    [tokenHash],
  );
  return row ? { userId: row.admin_id, email: row.email, role: row.role, csrfToken: row.csrf_token } : undefined;
}

export interface LoginKeys {
  readonly account: string;
  readonly address: string;
}

/** How long this login must wait, when its account or its address failed too often of late. */
export async function loginRetryAfter(
  db: Queryable,
  keys: LoginKeys,
): Promise<{ scope: 'account' | 'address'; seconds: number } | undefined> {
  const rows = await db.query<{ scope: 'account' | 'address'; failures: number; wait: number }>(
    `SELECT scope, count(*)::int AS failures,
            ceil(extract(epoch FROM min(at) + make_interval(mins => $3) - now()))::int AS wait
       FROM login_failures
      WHERE ((scope = 'account' AND key = $1) OR (scope = 'address' AND key = $2))
        AND at > now() - make_interval(mins => $3)
      GROUP BY scope`,
    [keys.account, keys.address, LOGIN_WINDOW_MINUTES],
  );
  for (const r of rows) {
    const limit = r.scope === 'account' ? MAX_FAILURES_PER_ACCOUNT : MAX_FAILURES_PER_ADDRESS;
    if (r.failures >= limit) return { scope: r.scope, seconds: Math.max(1, r.wait) };
  }
  return undefined;
}

export async function recordLoginFailure(db: Queryable, keys: LoginKeys): Promise<void> {
  await db.query(`INSERT INTO login_failures (scope, key) VALUES ('account', $1), ('address', $2)`, [
    keys.account,
    keys.address,
  ]);
}

export async function clearAccountFailures(db: Queryable, account: string): Promise<void> {
  await db.query(`DELETE FROM login_failures WHERE scope = 'account' AND key = $1`, [account]);
}

/** Deletes expired sessions and failures older than the window; returns how many sessions went. */
export async function cleanUpSessions(db: Queryable): Promise<number> {
  const gone = await db.query('DELETE FROM admin_sessions WHERE expires_at <= now() RETURNING 1');
  await db.query('DELETE FROM login_failures WHERE at <= now() - make_interval(mins => $1)', [LOGIN_WINDOW_MINUTES]);
  return gone.length;
}
