import type { StaffId } from '../../shared/ids';
import { verifyPin } from '../staff/pin';
import { sql, type ReadableDB, type WritableDB } from './db';

export type Role = 'cashier' | 'manager';

export interface Staff {
  readonly id: StaffId;
  readonly code: string;
  readonly name: string;
  readonly role: Role;
  readonly active: boolean;
}

interface StaffRow {
  id: string;
  code: string;
  name: string;
  role: string;
  active: number;
  pin_hash: string;
}

function rowToStaff(row: StaffRow): Staff {
  return { id: row.id as StaffId, code: row.code, name: row.name, role: row.role as Role, active: row.active === 1 };
}

/** Inserts or replaces a staff member; head office sends the PIN already hashed. */
export function upsertStaff(db: WritableDB, staff: Staff & { readonly pinHash: string }, now: number): void {
  sql(
    db,
    `INSERT INTO staff (id, code, name, role, pin_hash, active, updated_at)
     VALUES (@id, @code, @name, @role, @pinHash, @active, @now)
     ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, role = excluded.role,
       pin_hash = excluded.pin_hash, active = excluded.active, updated_at = excluded.updated_at`,
  ).run({ ...staff, active: staff.active ? 1 : 0, now });
}

export function getStaff(db: ReadableDB, id: string): Staff | undefined {
  const row = sql(db, 'SELECT * FROM staff WHERE id = ?').get(id) as StaffRow | undefined;
  return row ? rowToStaff(row) : undefined;
}

export function listStaff(db: ReadableDB): Staff[] {
  return (sql(db, 'SELECT * FROM staff WHERE active = 1 ORDER BY name').all() as StaffRow[]).map(rowToStaff);
}

/**
 * The active staff member whose PIN this is, if any. With `role: 'manager'`
 * only managers are tried. PINs are salted hashes, so each candidate is
 * checked in turn; a branch has tens of staff, not thousands.
 */
export function findStaffByPin(db: ReadableDB, pin: string, role?: Role): Staff | undefined {
  const rows = (
    role
      ? sql(db, 'SELECT * FROM staff WHERE active = 1 AND role = ?').all(role)
      : sql(db, 'SELECT * FROM staff WHERE active = 1').all()
  ) as StaffRow[];
  const match = rows.find((row) => verifyPin(pin, row.pin_hash));
  return match ? rowToStaff(match) : undefined;
}

export function checkStaffPin(db: ReadableDB, id: string, pin: string): Staff | undefined {
  const row = sql(db, 'SELECT * FROM staff WHERE id = ? AND active = 1').get(id) as StaffRow | undefined;
  return row && verifyPin(pin, row.pin_hash) ? rowToStaff(row) : undefined;
}
