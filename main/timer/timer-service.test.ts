import { afterEach, describe, expect, it } from 'vitest';
import { SyncFailure } from '../sync/failure';
import { SyncBusyError } from '../sync/single-flight';
import { createTimerService, spreadOffsetMs, type TimerService } from './timer-service';

const services: TimerService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.stop();
});

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function offline(): Error {
  return Object.assign(new TypeError('fetch failed'), {
    cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
  });
}

function service(runSync: () => Promise<unknown>, extra: Partial<Parameters<typeof createTimerService>[0]> = {}) {
  const s = createTimerService({
    runSync,
    probe: async () => false,
    counts: () => ({ pending: 3, queuedNotAcked: 2 }),
    schedule: '0 0 1 1 *',
    backoff: { baseMs: 10, capMs: 40 },
    probeIntervalMs: 10,
    ...extra,
  });
  services.push(s);
  return s;
}

describe('the timer service', () => {
  it('runs at start and reports success with the outbox counts and the next run', async () => {
    let runs = 0;
    const s = service(async () => {
      runs += 1;
    });
    s.start();
    await until(() => s.status().lastSuccessAt !== null);
    expect(runs).toBe(1);
    expect(s.status()).toMatchObject({ online: true, running: false, lastError: null, pending: 3, queuedNotAcked: 2 });
    expect(s.status().nextRunAt).toBeGreaterThan(Date.now());
  });

  it('goes offline on a network failure, retries with backoff, and recovers', async () => {
    let runs = 0;
    const s = service(async () => {
      runs += 1;
      if (runs < 4) throw offline();
    });
    s.start();
    await until(() => s.status().online === false);
    expect(s.status().lastError).toMatchObject({ kind: 'offline' });
    await until(() => s.status().online === true);
    expect(runs).toBe(4);
    expect(s.status().lastError).toBeNull();
  });

  it('tells the till when head office stops answering and when a health check passes again', async () => {
    let up = false;
    const seen: [boolean, string][] = [];
    const s = service(
      async () => {
        if (!up) throw new SyncFailure('offline', 'timed out');
      },
      {
        backoff: { baseMs: 60_000, capMs: 60_000 },
        probe: async () => up,
        onNetwork: (isUp, detail) => void seen.push([isUp, detail]),
      },
    );
    s.start();
    await until(() => seen.length === 1);
    expect(seen).toEqual([[false, 'timed out']]);
    up = true;
    await until(() => s.status().lastSuccessAt !== null);
    expect(seen).toEqual([
      [false, 'timed out'],
      [true, 'health check passed'],
      [true, 'sync succeeded'],
    ]);
  });

  it('waits for a health check on a silent line to end before starting another', async () => {
    let probes = 0;
    const s = service(
      async () => {
        throw new SyncFailure('offline', 'timed out');
      },
      {
        backoff: { baseMs: 60_000, capMs: 60_000 },
        probe: () => {
          probes += 1;
          return new Promise<boolean>(() => undefined);
        },
      },
    );
    s.start();
    await until(() => probes === 1);
    // Ten probe intervals go by while the first check still waits for an answer.
    await new Promise((r) => setTimeout(r, 100));
    expect(probes).toBe(1);
  });

  it('goes on syncing when recording the network state fails', async () => {
    const s = service(async () => undefined, {
      onNetwork: () => {
        throw new Error('disk full');
      },
    });
    s.start();
    await until(() => s.status().lastSuccessAt !== null);
    expect(s.status()).toMatchObject({ online: true, lastError: null });
  });

  it('runs as soon as the network comes back, without waiting for the backoff', async () => {
    let up = false;
    let runs = 0;
    const s = service(
      async () => {
        runs += 1;
        if (!up) throw offline();
      },
      { backoff: { baseMs: 60_000, capMs: 60_000 }, probe: async () => up },
    );
    s.start();
    await until(() => s.status().online === false);
    expect(runs).toBe(1);
    up = true;
    await until(() => s.status().online === true && s.status().lastSuccessAt !== null);
    expect(runs).toBe(2);
  });

  it('never overlaps runs', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const s = service(async () => {
      runs += 1;
      active += 1;
      maxActive = Math.max(maxActive, active);
      await new Promise((r) => setTimeout(r, 30));
      active -= 1;
    });
    await Promise.all([s.runNow(), s.runNow(), s.runNow()]);
    expect(runs).toBe(1);
    expect(maxActive).toBe(1);
  });

  it('does not retry what a retry cannot fix', async () => {
    let runs = 0;
    const s = service(async () => {
      runs += 1;
      throw new SyncFailure('auth', 'HTTP 401');
    });
    await s.runNow();
    await new Promise((r) => setTimeout(r, 100));
    expect(runs).toBe(1);
    expect(s.status()).toMatchObject({ lastError: { kind: 'auth' }, online: null });
  });

  it('treats another process holding the sync lock as not a failure', async () => {
    const s = service(async () => {
      throw new SyncBusyError('x');
    });
    await s.runNow();
    expect(s.status().lastError).toBeNull();
  });

  it('follows a schedule that a run brought, such as a new till’s first pull of its branch settings', async () => {
    let schedule = '0 0 1 1 *';
    const s = service(
      async () => {
        // The pull in this run stored the branch's settings: every second.
        schedule = '* * * * * *';
      },
      { schedule: () => schedule },
    );
    s.start();
    await until(() => s.status().lastSuccessAt !== null);
    const next = s.status().nextRunAt!;
    expect(next - Date.now()).toBeLessThanOrEqual(1_000);
    const first = s.status().lastSuccessAt!;
    // It now runs on the new schedule, not next New Year.
    await until(() => s.status().lastSuccessAt! > first, 5_000);
  });

  it('keeps the schedule in use when a run brings one that is not valid', async () => {
    let schedule = '0 0 1 1 *';
    const s = service(
      async () => {
        schedule = 'every now and then';
      },
      { schedule: () => schedule },
    );
    s.start();
    await until(() => s.status().lastSuccessAt !== null);
    expect(new Date(s.status().nextRunAt!).getUTCMonth()).toBe(0);
    expect(new Date(s.status().nextRunAt!).getFullYear()).toBeGreaterThan(new Date().getFullYear() - 1);
  });

  it('refuses a bad schedule', () => {
    expect(() => service(async () => undefined, { schedule: 'every now and then' })).toThrow(
      /not a valid cron expression/,
    );
  });

  it('runs each scheduled time late by the till’s own offset, and says so in the next run', async () => {
    const at: number[] = [];
    const s = service(
      async () => {
        at.push(Date.now());
      },
      { schedule: '* * * * * *', spreadMs: () => 400 },
    );
    s.start();
    await until(() => at.length === 1);
    const next = s.status().nextRunAt!;
    // The cron fires on whole seconds; the run is planned 400 ms after one.
    expect(next % 1000).toBe(400);
    await until(() => at.length === 2, 5000);
  });
});

describe('a till’s offset within the sync interval', () => {
  const keys = Array.from({ length: 600 }, (_, i) => `B${String(i % 200).padStart(4, '0')}-${(i % 3) + 1}`);

  it('stays the same for a till, inside the interval, and spreads a chain across it', () => {
    const offsets = keys.map((k) => spreadOffsetMs('*/5 * * * *', k));
    expect(spreadOffsetMs('*/5 * * * *', 'DHK01-2')).toBe(spreadOffsetMs('*/5 * * * *', 'DHK01-2'));
    for (const ms of offsets) {
      expect(ms % 1000).toBe(0);
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThan(295_000);
    }
    // 600 tills over 295 one-second slots: no slot holds more than a handful.
    const perSecond = new Map<number, number>();
    for (const ms of offsets) perSecond.set(ms, (perSecond.get(ms) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(10);
    expect(perSecond.size).toBeGreaterThan(150);
  });

  it('keeps to the minute for other schedules and runs second-grained ones on time', () => {
    for (const k of keys) expect(spreadOffsetMs('0 9-21 * * *', k)).toBeLessThan(55_000);
    expect(spreadOffsetMs('*/20 * * * * *', 'DHK01-1')).toBe(0);
  });
});
