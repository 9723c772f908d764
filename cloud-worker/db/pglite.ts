import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Database, Queryable, Row } from './database';

/**
 * PGlite is PostgreSQL in single-user mode inside this process. Nothing in
 * PGlite stops a second process from opening the same folder and corrupting
 * it, so we hold a lock file naming our pid for as long as the database is
 * open. A lock left by a process that has died is taken over.
 */
export async function openPglite(dataDir: string | undefined): Promise<Database> {
  let releaseLock = () => {};
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    releaseLock = lockFolder(dataDir);
  }
  let pg: PGlite;
  try {
    pg = await PGlite.create(dataDir ?? 'memory://');
  } catch (error) {
    releaseLock();
    throw error;
  }
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<R extends Row>(text: string, params: readonly unknown[] = []) {
      return (await q.query<R>(text, params as unknown[])).rows;
    },
    async exec(text: string) {
      await q.exec(text);
    },
  });
  return {
    kind: 'pglite',
    ...wrap(pg),
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    async close() {
      try {
        await pg.close();
      } finally {
        releaseLock();
      }
    },
  };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Folders this process holds: a second open from the same process is refused too. */
const held = new Set<string>();

function lockFolder(dir: string): () => void {
  const path = join(dir, 'haat.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.add(path);
      return () => {
        held.delete(path);
        rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(path, 'utf8'));
      const ownedHere = owner === process.pid && held.has(path);
      if (ownedHere || (owner && owner !== process.pid && pidAlive(owner))) {
        throw new Error(
          `the central database in ${dir} is open in process ${owner}; PGlite allows one process (use DATABASE_URL for several)`,
          { cause: error },
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new Error(`could not lock ${path}`);
}
