import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database';
import { hashSecret, verifySecret } from '../auth/scrypt';

const SESSION_HOURS = 12;

export async function createAdmin(db: Queryable, email: string, password: string): Promise<string> {
  const id = randomUUID();
  await db.query('INSERT INTO admins (id, email, password_hash) VALUES ($1, $2, $3)', [
    id,
    email.toLowerCase(),
    await hashSecret(password),
  ]);
  return id;
}

/** The admin these credentials belong to; the hash is checked even for an unknown email, so timing tells nothing. */
export async function checkAdminPassword(db: Queryable, email: string, password: string): Promise<string | undefined> {
  const [row] = await db.query<{ id: string; password_hash: string }>(
    'SELECT id, password_hash FROM admins WHERE email = $1',
    [email.toLowerCase()],
  );
  const ok = await verifySecret(password, row?.password_hash ?? DUMMY_HASH);
  return ok && row ? row.id : undefined;
}

const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export async function startSession(db: Queryable, adminId: string, tokenHash: string): Promise<Date> {
  const [row] = await db.query<{ expires_at: Date }>(
    `INSERT INTO admin_sessions (token_hash, admin_id, expires_at)
     VALUES ($1, $2, now() + make_interval(hours => $3)) RETURNING expires_at`,
    [tokenHash, adminId, SESSION_HOURS],
  );
  return new Date(row!.expires_at);
}

export async function findSession(db: Queryable, tokenHash: string): Promise<string | undefined> {
  const [row] = await db.query<{ admin_id: string }>(
    'SELECT admin_id FROM admin_sessions WHERE token_hash = $1 AND expires_at > now()',
    [tokenHash],
  );
  return row?.admin_id;
}
