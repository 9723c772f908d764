import Database from 'better-sqlite3';

/**
 * Makes sure two sync runs never overlap: the timer inside the app, a staff
 * member's `haat-sync` in a terminal, and a second till process on the same
 * database. The lock is an IMMEDIATE transaction held on a small side file
 * next to the till database: the operating system releases it when the
 * holder exits or is killed, so a crash never leaves a stale lock, and it
 * never blocks the till's own writes, which go to the main file.
 */
export interface SyncLock {
  release(): void;
}

export class SyncBusyError extends Error {
  constructor(path: string) {
    super(`another sync is running on this till (lock ${path}); this one stops`);
    this.name = 'SyncBusyError';
  }
}

export function lockPathFor(dbPath: string): string {
  return `${dbPath}.sync-lock`;
}

/** Takes the till's sync lock, or throws SyncBusyError at once if another run holds it. */
export function acquireSyncLock(dbPath: string): SyncLock {
  const path = lockPathFor(dbPath);
  const db = new Database(path, { timeout: 0 });
  try {
    db.pragma('journal_mode = DELETE');
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, since INTEGER NOT NULL)');
  } catch (e) {
    db.close();
    if (isBusy(e)) throw new SyncBusyError(path);
    throw e;
  }
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (e) {
    db.close();
    if (isBusy(e)) throw new SyncBusyError(path);
    throw e;
  }
  db.prepare('DELETE FROM holder').run();
  db.prepare('INSERT INTO holder (pid, since) VALUES (?, ?)').run(process.pid, Date.now());
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      try {
        db.exec('ROLLBACK');
      } finally {
        db.close();
      }
    },
  };
}

function isBusy(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? '';
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code.startsWith('SQLITE_BUSY_');
}
