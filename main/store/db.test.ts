import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { inTransaction, inUnsyncedTransaction, loadMigrations, NewerSchemaError, openStore } from './db';

const dirs: string[] = [];
function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'haat-db-'));
  dirs.push(dir);
  return join(dir, 'till.sqlite');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('openStore', () => {
  it('opens with WAL, synchronous=FULL, foreign keys and a busy timeout', () => {
    const store = openStore(tempPath());
    try {
      for (const db of [store.write, store.read]) {
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(db.pragma('synchronous', { simple: true })).toBe(2);
        expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
        expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      }
      expect(store.write.pragma('user_version', { simple: true })).toBe(loadMigrations().at(-1)!.version);
    } finally {
      store.close();
    }
  });

  it('hands out a read handle that cannot write', () => {
    const store = openStore(tempPath());
    try {
      expect(() => store.read.prepare("INSERT INTO settings (key, value) VALUES ('x', '1')").run()).toThrow(/readonly/);
    } finally {
      store.close();
    }
  });

  it('refuses a database from a newer version, clearly', () => {
    const path = tempPath();
    openStore(path).close();
    const raw = new Database(path);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => openStore(path)).toThrow(NewerSchemaError);
    expect(() => openStore(path)).toThrow(/newer version of Haat \(schema 99; this app knows up to \d+\)/);
  });

  it('applies pending migrations all or nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'haat-mig-'));
    dirs.push(dir);
    writeFileSync(join(dir, '0001_first.sql'), 'CREATE TABLE a (x INTEGER) STRICT;');
    writeFileSync(join(dir, '0002_broken.sql'), 'CREATE TABLE b (x INTEGER) STRICT; CREATE TABLE a (y INTEGER);');
    const path = tempPath();
    expect(() => openStore(path, { migrations: loadMigrations(dir) })).toThrow(/migration 2 \(broken\) failed/);
    const raw = new Database(path);
    expect(raw.pragma('user_version', { simple: true })).toBe(0);
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).toEqual([]);
    raw.close();
  });

  it('is STRICT: a float where money belongs is refused by the database itself', () => {
    const store = openStore(tempPath());
    try {
      expect(() =>
        store.write
          .prepare(
            "INSERT INTO products (id, sku, name_en, name_bn, unit, price, vat_rate, updated_at) VALUES ('p', 's', 'n', 'n', 'piece', 1.5, 0, 0)",
          )
          .run(),
      ).toThrow(/cannot store REAL value in INTEGER column/);
    } finally {
      store.close();
    }
  });
});

describe('inUnsyncedTransaction', () => {
  it('commits without waiting for the disk, then puts synchronous=FULL back, also when it throws', () => {
    const store = openStore(tempPath());
    try {
      const db = store.write;
      const seen = inUnsyncedTransaction(db, () => {
        db.prepare("UPDATE counters SET last = 7 WHERE name = 'receipt'").run();
        return db.pragma('synchronous', { simple: true });
      });
      expect(seen).toBe(1);
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      expect(db.prepare("SELECT last FROM counters WHERE name = 'receipt'").get()).toEqual({ last: 7 });
      expect(() =>
        inUnsyncedTransaction(db, () => {
          db.prepare("UPDATE counters SET last = 8 WHERE name = 'receipt'").run();
          throw new Error('no');
        }),
      ).toThrow('no');
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      expect(db.prepare("SELECT last FROM counters WHERE name = 'receipt'").get()).toEqual({ last: 7 });
      expect(() => inTransaction(db, () => inUnsyncedTransaction(db, () => 1))).toThrow(/nested/);
    } finally {
      store.close();
    }
  });
});
