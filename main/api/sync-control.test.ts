import { afterEach, expect, it } from 'vitest';
import { createTimerService, type TimerService } from '../timer/timer-service';
import { syncControlFromTimer } from './sync-control';

let timer: TimerService | null = null;
afterEach(async () => {
  await timer?.stop();
});

it('drives the timer service: runs on demand, and Work offline stops its schedule until switched back', async () => {
  let runs = 0;
  timer = createTimerService({
    runSync: async () => void (runs += 1),
    probe: async () => true,
    counts: () => ({ pending: 0, queuedNotAcked: 0 }),
    schedule: '0 0 1 1 *',
  });
  const control = syncControlFromTimer(timer);
  expect(control.status()).toMatchObject({ online: null, lastSuccessAt: null });
  await control.runNow();
  expect(runs).toBe(1);
  expect(control.status()).toMatchObject({ online: true, lastSuccessAt: expect.any(Number) });
  await control.setPaused(false);
  await control.runNow();
  expect(runs).toBeGreaterThanOrEqual(2);
  expect(control.status().nextRunAt).not.toBeNull();
  await control.setPaused(true);
  expect(control.status().nextRunAt).toBeNull();
});

it('switches to Work offline at once while a run hangs on a bad line, and no run starts until switched back', async () => {
  let release!: () => void;
  let runs = 0;
  timer = createTimerService({
    runSync: () => {
      runs += 1;
      return new Promise<void>((done) => (release = done));
    },
    probe: async () => true,
    counts: () => ({ pending: 0, queuedNotAcked: 0 }),
    schedule: '0 0 1 1 *',
  });
  const control = syncControlFromTimer(timer);
  await control.setPaused(false);
  expect(control.status().running).toBe(true);
  await control.setPaused(true);
  expect(control.status()).toMatchObject({ running: true, nextRunAt: null });
  release();
  await new Promise((r) => setTimeout(r, 20));
  expect(control.status().running).toBe(false);
  expect(runs).toBe(1);
  await control.setPaused(false);
  expect(runs).toBe(2);
  release();
});
