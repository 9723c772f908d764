import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../../cloud-worker/testing/test-database';
import { taka } from '../../shared/money';
import { openTill } from '../../main/open-till';
import { openShift } from '../../main/shift/open-shift';
import { outboxCounts } from '../../main/store/outbox';
import { sealedCounts } from '../../main/store/sealed';
import { getOpenShift } from '../../main/store/shifts';
import { acquireSyncLock } from '../../main/sync/single-flight';
import { must, ringCashSale } from '../../main/testing/ring';
import { seededRandom } from '../../main/testing/random';
import { createTillTimer } from '../../main/timer/till-timer';
import { startChain, tillPaths, type Chain } from './chain';
import { haatSync } from './processes';

const kind = databaseKinds().at(-1)!;

describe(`the sync command and the timer (${kind})`, () => {
  let chain: Chain;
  let dir: string;
  let cashierId: string;
  const barcode = '8941000000042';

  beforeAll(async () => {
    chain = await startChain(kind);
    await chain.addBranch('CTG01');
    await chain.addProduct('SKU4', {
      nameEn: 'Ispahani Mirzapore Tea 400g',
      nameBn: 'ইস্পাহানি মির্জাপুর চা',
      price: 26_000,
      barcodes: [barcode],
    });
    cashierId = await chain.addStaff('CTG01', 'cashier', '2468');
    ({ dir } = await chain.addTill('CTG01', 1));
  });
  afterAll(async () => {
    await chain?.close();
  });

  function ringSales(n: number): void {
    const till = openTill(tillPaths(dir).db);
    try {
      const shift = getOpenShift(till.deps.db) ?? must(openShift(till.deps, { cashierId, openingFloat: taka(500) }));
      for (let i = 0; i < n; i++) ringCashSale(till.deps, shift.id, [{ barcode }]);
    } finally {
      till.store.close();
    }
  }

  function counts() {
    const till = openTill(tillPaths(dir).db);
    try {
      return outboxCounts(till.deps.db);
    } finally {
      till.store.close();
    }
  }

  function sealedMessages(): number {
    const till = openTill(tillPaths(dir).db);
    try {
      return sealedCounts(till.deps.db).messages;
    } finally {
      till.store.close();
    }
  }

  it('pulls, pushes and prints a summary; --json and --status for machines and staff', async () => {
    const first = await haatSync(['--data', dir]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/pulled\s+1 product and 1 staff changes/);
    ringSales(12);
    const second = await haatSync(['--data', dir, '--json']);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ push: { sales: 12 }, pending: 0 });
    const status = await haatSync(['--data', dir, '--status', '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ till: 'CTG01-1', pending: 0, lastError: null });
  });

  it('exits 1 with the reason in plain words when head office cannot be reached, losing nothing', async () => {
    ringSales(3);
    await chain.apiLine.cut();
    try {
      const run = await haatSync(['--data', dir]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/No connection to head office\. Sales are safe on this till/);
      // The three sales wait, and so does the fact that the till found head office gone.
      expect(counts().pending).toBe(4);
    } finally {
      await chain.apiLine.restore();
    }
  });

  it('exits 2 when another sync holds the till, and when the till is not set up', async () => {
    const lock = acquireSyncLock(tillPaths(dir).db);
    try {
      const run = await haatSync(['--data', dir]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/Another sync is already running/);
    } finally {
      lock.release();
    }
    const empty = mkdtempSync(join(tmpdir(), 'haat-empty-'));
    try {
      const run = await haatSync(['--data', empty]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/not set up for sync/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('delivers every sale exactly once through SIGKILLs of the sync at random points', async () => {
    const random = seededRandom(Number(process.env.SYNC_KILL_SEED ?? Date.now() % 100_000));
    let killed = 0;
    let killedMidPush = 0;
    let sealedSeen = 0;
    for (let i = 0; i < 12; i++) {
      // New sales before every run, so that each run has a push to be killed in.
      ringSales(2000);
      if (i % 4 === 1) {
        // Head office gone for a while: the run fails and seals the outbox, killed as it does or not.
        await chain.apiLine.cut();
        try {
          const offline = await haatSync(
            ['--data', dir],
            i === 1 ? undefined : { delayMs: Math.floor(random() * 1500) },
          );
          if (offline.signal !== 'SIGKILL') expect(offline.code).toBe(1);
        } finally {
          await chain.apiLine.restore();
        }
        sealedSeen = Math.max(sealedSeen, sealedMessages());
      }
      // Kills land after the pull, in the middle of the push, or anywhere at all.
      const kill = [
        { after: 'pulling…', delayMs: Math.floor(random() * 150) },
        { after: 'pushing…', delayMs: Math.floor(random() * 10) },
        { delayMs: Math.floor(random() * 1500) },
      ][i % 3]!;
      const run = await haatSync(['--data', dir], kill);
      if (run.signal === 'SIGKILL') killed += 1;
      // Killed after the queue had accepted some of this run's messages, before it finished.
      if (run.signal === 'SIGKILL' && run.stderr.includes('pushing…')) killedMidPush += 1;
      if (i % 3 === 2) await chain.drain();
    }
    expect(killed).toBeGreaterThan(3);
    expect(killedMidPush).toBeGreaterThan(0);
    expect(sealedSeen).toBeGreaterThan(0);
    console.log(`sync killed ${killed} times, ${killedMidPush} of them mid-push`);
    // Let it finish, let head office take it all in, and let the till hear back.
    expect((await haatSync(['--data', dir])).code).toBe(0);
    await chain.drain();
    expect((await haatSync(['--data', dir])).code).toBe(0);

    const till = openTill(tillPaths(dir).db);
    const local = till.deps.db.prepare('SELECT id FROM sales ORDER BY id').all() as { id: string }[];
    till.store.close();
    const central = await chain.f.t.db.query<{ id: string; n: string }>(
      "SELECT id::text AS id, count(*) AS n FROM sales WHERE branch = 'CTG01' AND till_no = 1 GROUP BY id ORDER BY id",
    );
    expect(central.map((r) => r.id)).toEqual(local.map((r) => r.id));
    expect(counts()).toMatchObject({ pending: 0, queuedNotAcked: 0 });
    expect(sealedMessages()).toBe(0);
  }, 240_000);

  it('runs on a timer, on a worker thread, and reports its status', async () => {
    ringSales(4);
    const timer = createTillTimer(dir);
    try {
      timer.start();
      const deadline = Date.now() + 60_000;
      while (timer.status().lastSuccessAt === null && timer.status().lastError === null && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(timer.status()).toMatchObject({ online: true, lastError: null, pending: 0 });
      expect(timer.status().queuedNotAcked).toBeGreaterThanOrEqual(4);
      expect(timer.status().nextRunAt).toBeGreaterThan(Date.now());
    } finally {
      await timer.close();
    }
  });
});
