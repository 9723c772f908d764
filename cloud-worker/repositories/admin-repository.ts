import type { Queryable } from '../db/database';
import { createOfficeUser } from './office-user-repository';

/** An admin login for scripts and tests; head office's users are in office-user-repository. */
export function createAdmin(db: Queryable, email: string, password: string): Promise<string> {
  return createOfficeUser(db, { email, password, role: 'admin' });
}
