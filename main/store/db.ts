import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assert } from '../../shared/assert';

declare const readable: unique symbol;
declare const writable: unique symbol;

/**
 * Two brands, as in Signal Desktop: a handle opened read-only cannot be passed
 * to a function that writes. The write handle can read too.
 */
export type ReadableDB = Database.Database & { readonly [readable]: true };
export type WritableDB = ReadableDB & { readonly [writable]: true };

export interface Store {
  readonly path: string;
  readonly read: ReadableDB;
  readonly write: WritableDB;
  close(): void;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((file) => {
      const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
      assert(m, `migration file ${file} must be named NNNN_name.sql`);
      return { version: Number(m[1]), name: m[2] ?? file, sql: readFileSync(`${dir}/${file}`, 'utf8') };
    });
  // Numbers are reserved per change, so one may be missing while the change
  // that holds it is not in this build yet; each is applied by its number.
  migrations.forEach((m, i) =>
    assert(
      m.version > (migrations[i - 1]?.version ?? 0),
      `migrations must be numbered in increasing order without repeats; ${m.name} is ${m.version}`,
    ),
  );
  return migrations;
}

export class NewerSchemaError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
    path: string,
  ) {
    super(
      `The till database ${path} was written by a newer version of Haat (schema ${found}; this app knows up to ${known}). ` +
        'Install the newer Haat on this till; do not open the file with this version.',
    );
    this.name = 'NewerSchemaError';
  }
}

/**
 * Applies every pending migration in one transaction: a till is either on the
 * old schema or the new one, never in between. Forward only.
 */
export function migrate(db: WritableDB, migrations: readonly Migration[] = loadMigrations(), upTo?: number): number {
  const known = migrations.at(-1)?.version ?? 0;
  const target = upTo ?? known;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > known) throw new NewerSchemaError(current, known, db.name);
  if (current >= target) return current;
  db.transaction(() => {
    for (const m of migrations.filter((x) => x.version > current && x.version <= target)) {
      try {
        db.exec(m.sql);
      } catch (e) {
        throw new Error(`migration ${m.version} (${m.name}) failed: ${(e as Error).message}`, { cause: e });
      }
    }
    db.pragma(`user_version = ${target}`);
  })();
  return target;
}

function applyPragmas(db: Database.Database): void {
  // FULL: a sale the till reported done is on disk, even through a power cut.
  // NORMAL in WAL mode may lose the last commits on power loss.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

export interface OpenOptions {
  /** Stop at this schema version (migration tests). */
  readonly upTo?: number;
  readonly migrations?: readonly Migration[];
}

/**
 * Opens (creating if needed) a till database: WAL, synchronous=FULL, foreign
 * keys on, a busy timeout, all migrations applied. Returns a write handle and
 * a separate read-only handle on the same file.
 */
export function openStore(path: string, options: OpenOptions = {}): Store {
  const write = new Database(path) as WritableDB;
  try {
    write.pragma('journal_mode = WAL');
    applyPragmas(write);
    migrate(write, options.migrations ?? loadMigrations(), options.upTo);
  } catch (e) {
    write.close();
    throw e;
  }
  const read = new Database(path, { readonly: true, fileMustExist: true }) as ReadableDB;
  applyPragmas(read);
  return {
    path,
    read,
    write,
    close() {
      read.close();
      write.close();
    },
  };
}

const statementCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** A prepared statement, compiled once per handle and reused. */
export function sql<T extends Database.Database>(db: T, text: string): Database.Statement {
  let cache = statementCache.get(db);
  if (!cache) {
    cache = new Map();
    statementCache.set(db, cache);
  }
  let stmt = cache.get(text);
  if (!stmt) {
    stmt = db.prepare(text);
    cache.set(text, stmt);
  }
  return stmt;
}

// One transaction wrapper per handle: better-sqlite3 builds four wrappers and
// defines their properties on every db.transaction() call, a cost on every sale.
const runners = new WeakMap<Database.Database, Database.Transaction<(fn: () => unknown) => unknown>>();

/** Runs `fn` in one IMMEDIATE transaction: all of it commits, or none. */
export function inTransaction<T>(db: WritableDB, fn: () => T): T {
  let runner = runners.get(db);
  if (!runner) {
    runner = db.transaction((run: () => unknown) => run());
    runners.set(db, runner);
  }
  return runner.immediate(fn) as T;
}

/**
 * Runs `fn` in one transaction whose commit does not wait for the disk
 * (synchronous=NORMAL for that commit alone). It is for bookkeeping that is
 * redone when a power cut loses it, never for a sale: the commit survives a
 * crash of the process, and reaches the disk with the file's next FULL
 * commit, which syncs the whole write-ahead log before it returns.
 */
export function inUnsyncedTransaction<T>(db: WritableDB, fn: () => T): T {
  assert(!db.inTransaction, 'an unsynced transaction cannot be nested in another');
  const level = Number(db.pragma('synchronous', { simple: true }));
  db.pragma('synchronous = NORMAL');
  try {
    return inTransaction(db, fn);
  } finally {
    db.pragma(`synchronous = ${level}`);
  }
}
