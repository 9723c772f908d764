import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../cloud-worker/db/database';
import { insertBranch, masterDataChange, upsertProduct } from '../../cloud-worker/repositories/master-data-repository';
import { formatCursor, parseCursor, readChanges } from '../../cloud-worker/repositories/pull-repository';
import { productInput } from '../../cloud-worker/testing/api-fixture';
import { createTestDatabase, type TestDatabase } from '../../cloud-worker/testing/test-database';
import { DEFAULT_BRANCH_SETTINGS } from '../../shared/settings';

/**
 * Out-of-order commits need two connections, which only a PostgreSQL server
 * has; PGlite's single connection cannot interleave transactions at all.
 */
describe.skipIf(!process.env.DATABASE_URL)('the pull cursor under out-of-order commits', () => {
  let t: TestDatabase;
  let writerA: Database;
  let writerB: Database;
  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    writerA = await t.reopen(2);
    writerB = await t.reopen(2);
    await masterDataChange(t.db, (tx, seq) =>
      insertBranch(tx, seq, { code: 'CUR01', nameEn: 'Cursor', nameBn: '', settings: DEFAULT_BRANCH_SETTINGS }),
    );
  });
  afterAll(() => t.dispose());

  const gate = () => {
    let open = () => {};
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { open, opened };
  };

  it('shows why a plain sequence is not a cursor: a later number can commit first', async () => {
    await t.db.exec('CREATE TABLE naive (seq bigserial PRIMARY KEY, what text)');
    const aMayCommit = gate();
    const aInserted = gate();
    const a = writerA.transaction(async (tx) => {
      await tx.query(`INSERT INTO naive (what) VALUES ('A')`);
      aInserted.open();
      await aMayCommit.opened;
    });
    await aInserted.opened;
    await writerB.transaction((tx) => tx.query(`INSERT INTO naive (what) VALUES ('B')`));
    const seen = await t.db.query<{ seq: number; what: string }>('SELECT seq, what FROM naive ORDER BY seq');
    expect(seen).toEqual([{ seq: 2, what: 'B' }]);
    aMayCommit.open();
    await a;
    // A reader whose cursor is now 2 will never be shown A (seq 1).
    expect(await t.db.query('SELECT what FROM naive WHERE seq > 2')).toEqual([]);
  });

  it('never skips a change that commits after a later-started one', async () => {
    const start = await readChanges(t.db, 'CUR01', parseCursor('0'), 100);
    const p1 = randomUUID();
    const p2 = randomUUID();

    const aMayCommit = gate();
    const aWrote = gate();
    const a = masterDataChange(writerA, async (tx, seq) => {
      await upsertProduct(tx, seq, { ...productInput('A1'), id: p1 });
      aWrote.open();
      await aMayCommit.opened;
      return seq;
    });
    await aWrote.opened;
    let bDone = false;
    const b = masterDataChange(writerB, async (tx, seq) => {
      await upsertProduct(tx, seq, { ...productInput('B2'), id: p2 });
      return seq;
    }).then((seq) => {
      bDone = true;
      return seq;
    });
    await new Promise((r) => setTimeout(r, 300));
    // B waits for A: the counter's row lock orders master-data commits.
    expect(bDone).toBe(false);

    const during = await readChanges(t.db, 'CUR01', start.cursor, 100);
    expect(during.products).toEqual([]);
    expect(formatCursor(during.cursor)).toBe(formatCursor(start.cursor));

    aMayCommit.open();
    const [seqA, seqB] = await Promise.all([a, b]);
    expect(seqB).toBe(seqA + 1);
    const after = await readChanges(t.db, 'CUR01', during.cursor, 100);
    expect(after.products.map((p) => p.id)).toEqual([p1, p2]);
  });

  it('stays correct with many writers racing readers', async () => {
    let cursor = parseCursor('0');
    const seen = new Set<string>();
    const written: string[] = [];
    let writing = true;
    const writers = [writerA, writerB].map(async (db, w) => {
      for (let i = 0; i < 30; i++) {
        const id = randomUUID();
        await masterDataChange(db, (tx, seq) => upsertProduct(tx, seq, { ...productInput(`W${w}-${i}`), id }));
        written.push(id);
      }
    });
    const reader = (async () => {
      while (writing) {
        const page = await readChanges(t.db, 'CUR01', cursor, 7);
        for (const p of page.products) seen.add(p.id);
        cursor = page.cursor;
      }
    })();
    await Promise.all(writers);
    writing = false;
    await reader;
    for (;;) {
      const page = await readChanges(t.db, 'CUR01', cursor, 7);
      for (const p of page.products) seen.add(p.id);
      cursor = page.cursor;
      if (!page.more) break;
    }
    for (const id of written) expect(seen.has(id)).toBe(true);
  });
});
