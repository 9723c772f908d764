/**
 * Creates a head-office login for the admin API:
 *   npm run cloud:admin -- someone@example.com
 * The password is read from HAAT_ADMIN_PASSWORD (never from the command line,
 * where other users could see it in the process list). Stop the cloud server
 * first when it uses PGlite: one process at a time may open its folder.
 */
import { databaseConfig, loadConfig } from '../cloud-worker/config';
import { openDatabase } from '../cloud-worker/db/open';
import { createAdmin } from '../cloud-worker/repositories/admin-repository';

async function main() {
  const email = process.argv[2];
  const password = process.env.HAAT_ADMIN_PASSWORD;
  if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) throw new Error('usage: cloud-admin.ts <email>');
  if (!password || password.length < 12) throw new Error('set HAAT_ADMIN_PASSWORD to at least 12 characters');
  const db = await openDatabase(databaseConfig(loadConfig()));
  try {
    await createAdmin(db, email, password);
    console.log(`head-office admin ${email} created`);
  } finally {
    await db.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
