import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireSyncLock, SyncBusyError } from './single-flight';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'haat-lock-'));
  dirs.push(dir);
  return join(dir, 'till.sqlite');
}

/** Holds the lock in another process until killed; prints "held" once it has it. */
function holdInChild(dbPath: string) {
  const code = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(`${dbPath}.sync-lock`)}, { timeout: 0 });
    db.pragma('journal_mode = DELETE');
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, since INTEGER NOT NULL)');
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('held\\n');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const held = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => (d.toString().includes('held') ? resolve() : undefined));
    child.on('exit', (c) => reject(new Error(`lock holder exited with ${c}`)));
  });
  return { child, held };
}

describe('the sync lock', () => {
  it('lets one run in and refuses a second in the same process', () => {
    const path = tempDb();
    const first = acquireSyncLock(path);
    expect(() => acquireSyncLock(path)).toThrow(SyncBusyError);
    first.release();
    acquireSyncLock(path).release();
  });

  it('refuses while another process holds it, and is free the moment that process is killed', async () => {
    const path = tempDb();
    const { child, held } = holdInChild(path);
    await held;
    expect(() => acquireSyncLock(path)).toThrow(/another sync is running/);
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;
    const lock = acquireSyncLock(path);
    lock.release();
  });
});
