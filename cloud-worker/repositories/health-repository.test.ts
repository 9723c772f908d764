import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BRANCH_SETTINGS } from '../../shared/settings';
import { batchOf, MANAGER_ID, offlinePeriodEvents, saleEvent, tillSource } from '../testing/batches';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../testing/test-database';
import { branchHealth, judge } from './health-repository';
import { ingestBatches } from './ingest-repository';
import { insertBranch, masterDataChange, upsertStaff } from './master-data-repository';
import { insertTill, recordTillDbHealth } from './till-repository';

const HOUR = 3_600_000;
const MiB = 1024 * 1024;

describe.each(databaseKinds())('offline periods and till databases on the health page, on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
    await masterDataChange(t.db, async (tx, seq) => {
      await insertBranch(tx, seq, {
        code: 'KHL01',
        nameEn: 'Khulna',
        nameBn: 'খুলনা',
        // A branch that allows an hour without sync and a 64 MiB database.
        settings: { ...DEFAULT_BRANCH_SETTINGS, syncLateAfterMinutes: 60, maxTillDbMegabytes: 64 },
      });
      await upsertStaff(tx, seq, 'KHL01', {
        id: MANAGER_ID,
        code: 'M01',
        name: 'Farhana Islam',
        role: 'manager',
        active: true,
        pinHash: 'scrypt$1024$8$1$c2FsdA==$aGFzaA==',
      });
    });
    for (const till of [1, 2]) {
      await t.db.transaction((tx) =>
        insertTill(tx, { branch: 'KHL01', till, keyId: `k${till}`, publicKey: 'x', tokenHash: `h${till}` }),
      );
    }
  });
  afterAll(() => t.dispose());

  const tillHealth = async (till: number, now = Date.now()) =>
    (await branchHealth(t.db, now)).find((b) => b.code === 'KHL01')!.tills.find((x) => x.till === till)!;

  it('joins each offline start to its end whatever order they arrive in, once however often they are sent', async () => {
    const src = tillSource('KHL01', 1);
    const now = Date.now();
    const network = offlinePeriodEvents(src, {
      cause: 'network',
      startedAt: now - 5 * HOUR,
      endedAt: now - 5 * HOUR + 42 * 60_000,
    });
    const sale = saleEvent(src);
    const manual = offlinePeriodEvents(src, { cause: 'manual', startedAt: now - HOUR, by: MANAGER_ID });
    const first = batchOf(src, network);
    const second = batchOf(src, [sale, ...manual]);
    // The end of the network period comes alone and first, then everything, then everything again.
    await t.db.transaction((tx) => ingestBatches(tx, [{ messageId: 'm0', batch: batchOf(src, [network[1]!]) }]));
    await t.db.transaction((tx) => ingestBatches(tx, [{ messageId: 'm2', batch: second }]));
    await t.db.transaction((tx) => ingestBatches(tx, [{ messageId: 'm1', batch: first }]));
    await t.db.transaction((tx) =>
      ingestBatches(tx, [
        { messageId: 'm1', batch: first },
        { messageId: 'm2', batch: second },
      ]),
    );
    const health = await tillHealth(1, now);
    expect(health.offline).toEqual([
      {
        cause: 'manual',
        startedAt: now - HOUR,
        endedAt: null,
        startedBy: 'Farhana Islam',
        endedBy: null,
        detail: expect.any(String),
      },
      {
        cause: 'network',
        startedAt: now - 5 * HOUR,
        endedAt: now - 5 * HOUR + 42 * 60_000,
        startedBy: null,
        endedBy: null,
        detail: 'No answer from head office: timed out',
      },
    ]);
    const [starts] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM till_offline_starts');
    expect(starts?.n).toBe(2);
    expect(health.ackedSeq).toBe(4);
  });

  it('shows what a till said of its database, ages its oldest unsynced sale, and forgets it once it arrived', async () => {
    expect((await tillHealth(2)).db).toBeNull();
    await recordTillDbHealth(
      t.db,
      { branch: 'KHL01', till: 2 },
      {
        dbBytes: 12 * MiB,
        rowsWaiting: 40,
        lastSeq: 40,
        oldestUnsynced: { seq: 3, ageMs: 20 * 60_000 },
      },
    );
    const later = Date.now() + 30 * 60_000;
    const seen = await tillHealth(2, later);
    expect(seen.db).toMatchObject({ bytes: 12 * MiB, rowsWaiting: 40 });
    // Twenty minutes old when reported, thirty minutes ago by the server's clock.
    expect(seen.db!.oldestUnsyncedAgeMs).toBeGreaterThanOrEqual(50 * 60_000);
    expect(seen.db!.oldestUnsyncedAgeMs).toBeLessThan(51 * 60_000);

    const src = tillSource('KHL01', 2);
    const sales = [saleEvent(src), saleEvent(src), saleEvent(src)];
    await t.db.transaction((tx) => ingestBatches(tx, [{ messageId: 'k2', batch: batchOf(src, sales) }]));
    // The three that arrived no longer wait, though the till reported them before they did.
    expect((await tillHealth(2, later)).db).toMatchObject({ oldestUnsyncedAgeMs: null, rowsWaiting: 37 });
  });

  it('turns a till amber past its branch’s limits, and says why', async () => {
    await recordTillDbHealth(
      t.db,
      { branch: 'KHL01', till: 2 },
      {
        dbBytes: 80 * MiB,
        rowsWaiting: 900,
        lastSeq: 903,
        oldestUnsynced: { seq: 4, ageMs: 2 * HOUR },
      },
    );
    const health = await tillHealth(2);
    expect(health.state).toBe('amber');
    expect(health.reasons).toEqual(expect.arrayContaining(['unsynced-old', 'db-large']));
  });

  it('reads a till clock’s skew off the batch that waited least, not off one packed hours before it was sent', async () => {
    for (const till of [3, 4]) {
      await t.db.transaction((tx) =>
        insertTill(tx, { branch: 'KHL01', till, keyId: `k${till}`, publicKey: 'x', tokenHash: `h${till}` }),
      );
    }
    const ingest = (batch: ReturnType<typeof batchOf>, messageId: string) =>
      t.db.transaction((tx) => ingestBatches(tx, [{ messageId, batch }]));
    // Till 3's clock is right. It sealed two messages while offline, two and three hours ago, and
    // sent them with a fresh one when the line came back; they arrive after it.
    const right = tillSource('KHL01', 3);
    const fresh = batchOf(right, [saleEvent(right)]);
    await ingest({ ...batchOf(right, [saleEvent(right)]), deviceTime: Date.now() - 3 * HOUR }, 's1');
    await ingest(fresh, 's3');
    await ingest({ ...batchOf(right, [saleEvent(right)]), deviceTime: Date.now() - 2 * HOUR }, 's2');
    const health3 = await tillHealth(3);
    expect(Math.abs(health3.skewMs!)).toBeLessThan(60_000);
    expect(health3.reasons).not.toContain('skew');
    // Till 4's clock runs three hours fast, in every batch.
    const fast = tillSource('KHL01', 4);
    for (const [i, late] of [0, HOUR].entries()) {
      await ingest({ ...batchOf(fast, [saleEvent(fast)]), deviceTime: Date.now() + 3 * HOUR - late }, `f${i}`);
    }
    const health4 = await tillHealth(4);
    expect(health4.skewMs! / HOUR).toBeCloseTo(3, 1);
    expect(health4.state).toBe('amber');
    expect(health4.reasons).toContain('skew');
  });
});

describe('the colour of a till', () => {
  const now = 1_763_900_000_000;
  const base = { now, lastSeenAt: now - 60_000, missingCount: 0, skewMs: 0, openRejections: 0 };
  const settings = { ...DEFAULT_BRANCH_SETTINGS, syncLateAfterMinutes: 30, maxTillDbMegabytes: 100 };
  const db = (bytes: number, oldestUnsyncedAgeMs: number | null) => ({
    bytes,
    rowsWaiting: 0,
    oldestUnsyncedAgeMs,
    reportedAt: now,
  });

  it('follows the branch’s sync limit and database size', () => {
    expect(judge({ ...base, settings, db: db(99 * MiB, 29 * 60_000) })).toEqual({ state: 'green', reasons: [] });
    expect(judge({ ...base, settings, db: db(101 * MiB, null) })).toEqual({ state: 'amber', reasons: ['db-large'] });
    expect(judge({ ...base, settings, db: db(MiB, 31 * 60_000) })).toEqual({
      state: 'amber',
      reasons: ['unsynced-old'],
    });
    expect(judge({ ...base, settings, lastSeenAt: now - 31 * 60_000 })).toEqual({
      state: 'amber',
      reasons: ['silent-hours'],
    });
    // Without settings of its own a branch gets the defaults: two hours, 512 MiB.
    expect(judge({ ...base, lastSeenAt: now - 90 * 60_000, db: db(500 * MiB, null) }).state).toBe('green');
    expect(judge({ ...base, lastSeenAt: now - 25 * HOUR, settings }).state).toBe('red');
  });
});
