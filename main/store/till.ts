import type Database from 'better-sqlite3';
import { type BranchCode, isBranchCode, isTillNumber, type TillId } from '../../shared/ids';
import { type BranchSettings, DEFAULT_BRANCH_SETTINGS, parseBranchSettings } from '../../shared/settings';
import { sql, type ReadableDB, type WritableDB } from './db';

/**
 * Which till this database belongs to. Set once when the till is provisioned;
 * receipt numbers and outbox batches are stamped with it.
 */
export function setTillIdentity(db: WritableDB, till: TillId, now: number): void {
  if (!isBranchCode(till.branch)) throw new Error(`branch code "${till.branch}" must be 2–8 capital letters or digits`);
  if (!isTillNumber(till.till)) throw new Error(`till number ${till.till} must be 1–99`);
  const existing = getTillIdentity(db);
  if (existing && (existing.branch !== till.branch || existing.till !== till.till)) {
    throw new Error(
      `this database belongs to till ${existing.branch}-${existing.till}; it cannot become ${till.branch}-${till.till}`,
    );
  }
  sql(
    db,
    'INSERT INTO till (id, branch_code, till_no, created_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
  ).run(till.branch, till.till, now);
}

/**
 * A till's identity, once set, never changes (setTillIdentity refuses another
 * and nothing deletes it), so each connection reads it once. What is read
 * inside a transaction is not kept: the transaction that set it may roll back.
 */
const identities = new WeakMap<Database.Database, TillId>();

export function getTillIdentity(db: ReadableDB): TillId | undefined {
  const known = identities.get(db);
  if (known) return known;
  const row = sql(db, 'SELECT branch_code, till_no FROM till WHERE id = 1').get() as
    { branch_code: string; till_no: number } | undefined;
  if (!row) return undefined;
  const id: TillId = Object.freeze({ branch: row.branch_code as BranchCode, till: row.till_no });
  if (!db.inTransaction) identities.set(db, id);
  return id;
}

export function getBranchSettings(db: ReadableDB): BranchSettings {
  const row = sql(db, "SELECT value FROM settings WHERE key = 'branch'").get() as { value: string } | undefined;
  if (!row) return DEFAULT_BRANCH_SETTINGS;
  const parsed = parseBranchSettings(JSON.parse(row.value));
  // Stored settings were validated on the way in; a bad row means a bug, and
  // the defaults keep the till selling.
  return parsed.ok ? parsed.value : DEFAULT_BRANCH_SETTINGS;
}

export function setBranchSettings(db: WritableDB, settings: BranchSettings): void {
  sql(
    db,
    "INSERT INTO settings (key, value) VALUES ('branch', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  ).run(JSON.stringify(settings));
}

/** Takes the next value of a gap-free counter; call inside the transaction that uses it. */
export function nextCounter(db: WritableDB, name: 'outbox' | 'receipt'): number {
  const row = sql(db, 'UPDATE counters SET last = last + 1 WHERE name = ? RETURNING last').get(name) as
    { last: number } | undefined;
  if (!row) throw new Error(`counter ${name} is missing`);
  return row.last;
}
