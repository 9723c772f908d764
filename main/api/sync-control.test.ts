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
