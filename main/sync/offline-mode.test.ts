import { afterEach, beforeEach, expect, it } from 'vitest';
import { parseEvent } from '../../shared/wire/events';
import { openOfflinePeriod, recentOfflinePeriods } from '../store/offline-periods';
import { readOutbox } from '../store/outbox';
import { MANAGER, tempTill, type TempTill } from '../testing/fixtures';
import { goOffline, goOnline } from './offline-mode';

let till: TempTill;
let clock = 1_763_900_000_000;
beforeEach(() => {
  clock = 1_763_900_000_000;
  till = tempTill({ now: () => clock });
});
afterEach(() => till.cleanup());

const events = () => readOutbox(till.store.read).map((r) => JSON.parse(r.body) as unknown);

it('records a network outage once, however often the timer reports it, and its end when head office answers', () => {
  const first = goOffline(till.deps, { cause: 'network', by: null, detail: 'pull timed out' });
  clock += 60_000;
  const again = goOffline(till.deps, { cause: 'network', by: null, detail: 'queue timed out' });
  expect(first).toMatchObject({ ok: true, value: { changed: true } });
  expect(again).toMatchObject({ ok: true, value: { changed: false } });
  expect(openOfflinePeriod(till.store.read)).toMatchObject({ cause: 'network', detail: 'pull timed out' });
  clock += 3_600_000;
  expect(goOnline(till.deps, { cause: 'network', by: null })).toMatchObject({ ok: true, value: { changed: true } });
  expect(goOnline(till.deps, { cause: 'network', by: null })).toMatchObject({ ok: true, value: { changed: false } });
  expect(openOfflinePeriod(till.store.read)).toBeUndefined();

  const out = events();
  expect(out.map((e) => parseEvent(e).ok)).toEqual([true, true]);
  expect(out).toMatchObject([
    { seq: 1, type: 'till.offline', payload: { cause: 'network', by: null, startedAt: 1_763_900_000_000 } },
    { seq: 2, type: 'till.online', payload: { cause: 'network', by: null, endedAt: 1_763_903_660_000 } },
  ]);
  const [a, b] = out as { payload: { periodId: string } }[];
  expect(a!.payload.periodId).toBe(b!.payload.periodId);
});

it('lets a manager’s switch outrank the network, and keeps it on when the network comes back', () => {
  goOffline(till.deps, { cause: 'network', by: null, detail: 'no answer' });
  clock += 1000;
  goOffline(till.deps, { cause: 'manual', by: MANAGER.id, detail: 'card machine line is down' });
  expect(openOfflinePeriod(till.store.read)).toMatchObject({ cause: 'manual', startedBy: MANAGER.id });
  // A health check passing does not end what a manager switched on; the network failing again adds nothing.
  expect(goOnline(till.deps, { cause: 'network', by: null })).toMatchObject({ value: { changed: false } });
  expect(goOffline(till.deps, { cause: 'network', by: null, detail: 'x' })).toMatchObject({
    value: { changed: false },
  });
  clock += 1000;
  goOnline(till.deps, { cause: 'manual', by: MANAGER.id });
  expect(recentOfflinePeriods(till.store.read, 5)).toMatchObject([
    { cause: 'manual', endCause: 'manual', endedBy: MANAGER.id },
    { cause: 'network', endCause: 'manual', endedBy: MANAGER.id },
  ]);
  expect(events().map((e) => (e as { type: string }).type)).toEqual([
    'till.offline',
    'till.online',
    'till.offline',
    'till.online',
  ]);
});
