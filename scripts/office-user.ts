/**
 * Creates a head-office login, or changes an existing one's role:
 *   npm run office:user -- --email someone@example.com --role admin
 * The password is read from HAAT_OFFICE_PASSWORD (never from the command
 * line, where other users could see it in the process list); without it a
 * strong one is made and printed once. Stop the cloud server first when it
 * uses PGlite: one process at a time may open its folder.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { databaseConfig, loadConfig } from '../cloud-worker/config';
import { openDatabase } from '../cloud-worker/db/open';
import { createOfficeUser, OFFICE_ROLES, type OfficeRole } from '../cloud-worker/repositories/office-user-repository';

async function main() {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, role: { type: 'string', default: 'viewer' } },
  });
  const email = values.email ?? '';
  const role = values.role as OfficeRole;
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new Error('--email: must be an email address');
  if (!OFFICE_ROLES.includes(role)) throw new Error(`--role: must be one of ${OFFICE_ROLES.join(', ')}`);
  const given = process.env.HAAT_OFFICE_PASSWORD;
  if (given !== undefined && given.length < 12) throw new Error('HAAT_OFFICE_PASSWORD: must be at least 12 characters');
  const password = given ?? randomBytes(12).toString('base64url');
  const db = await openDatabase(databaseConfig(loadConfig()));
  try {
    const [existing] = await db.query<{ id: string }>('SELECT id FROM admins WHERE email = $1', [email.toLowerCase()]);
    if (existing) {
      await db.query('UPDATE admins SET role = $2 WHERE id = $1', [existing.id, role]);
      console.log(`${email} is now ${role === 'admin' ? 'an admin' : 'a viewer'} (password unchanged)`);
      return;
    }
    await createOfficeUser(db, { email, password, role });
    console.log(`head-office ${role} ${email} created`);
    if (given === undefined) console.log(`password (shown this once): ${password}`);
  } finally {
    await db.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
