import { openStore } from '../store/db';
import { outboxCounts } from '../store/outbox';
import { getBranchSettings } from '../store/till';
import { runSyncInWorker } from '../sync/in-worker';
import { queueOriginSetting } from '../sync/queue-origin';
import { loadCredentials, tillPaths } from '../sync/provision';
import type { SyncProgress } from '../sync/run';
import { createTimerService, spreadOffsetMs, type SyncStatus, type TimerService } from './timer-service';

/**
 * The timer service for one till's data folder, as the app and the headless
 * `npm run timer` run it: each sync on a worker thread, the schedule from the
 * branch settings, and a health check against head office while offline.
 */
export function createTillTimer(
  dir: string,
  hooks: {
    onStatus?: (s: SyncStatus) => void;
    onProgress?: (p: SyncProgress) => void;
    /** How often to check for head office while offline. */
    probeIntervalMs?: number;
  } = {},
): TimerService & { close(): Promise<void> } {
  const paths = tillPaths(dir);
  const store = openStore(paths.db);
  let key: string | undefined;
  const tillKey = () => {
    if (key === undefined) {
      const { branch, till } = loadCredentials(dir);
      key = `${branch}-${till}`;
    }
    return key;
  };
  const service = createTimerService({
    schedule: () => getBranchSettings(store.read).syncSchedule,
    spreadMs: (schedule) => spreadOffsetMs(schedule, tillKey()),
    runSync: () => runSyncInWorker({ dir, ...queueOriginSetting() }, hooks.onProgress),
    async probe() {
      const { apiUrl } = loadCredentials(dir);
      const response = await fetch(`${apiUrl.replace(/\/+$/, '')}/health`, { signal: AbortSignal.timeout(5000) });
      return response.ok;
    },
    counts: () => outboxCounts(store.read),
    ...(hooks.onStatus ? { onStatus: hooks.onStatus } : {}),
    ...(hooks.probeIntervalMs ? { probeIntervalMs: hooks.probeIntervalMs } : {}),
  });
  return {
    ...service,
    async close() {
      await service.stop();
      store.close();
    },
  };
}
