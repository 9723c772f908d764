import { openStore, type ReadableDB } from '../store/db';
import { getSyncState } from '../store/sync-state';
import { outboxCounts } from '../store/outbox';
import { getBranchSettings } from '../store/till';
import { runSyncInWorker } from '../sync/in-worker';
import { queueOriginSetting } from '../sync/queue-origin';
import { loadCredentials, tillPaths } from '../sync/provision';
import { checkHeadOffice } from '../sync/pull';
import { queueUrlVia, type SyncProgress } from '../sync/run';
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
    onNetwork?: (up: boolean, detail: string) => void;
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
    probe: () => probeHeadOffice(store.read, loadCredentials(dir).apiUrl),
    counts: () => outboxCounts(store.read),
    ...(hooks.onStatus ? { onStatus: hooks.onStatus } : {}),
    ...(hooks.onNetwork ? { onNetwork: hooks.onNetwork } : {}),
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

/**
 * The health check while offline: head office's API answers `/health`, and
 * the queue's host answers at all (any HTTP status: the till's add-only SAS
 * may not read, so a refusal is an answer), each within the branch's
 * network timeout.
 */
export async function probeHeadOffice(db: ReadableDB, apiUrl: string): Promise<boolean> {
  const timeoutMs = getBranchSettings(db).networkTimeoutSeconds * 1000;
  try {
    await checkHeadOffice(apiUrl, timeoutMs);
  } catch (e) {
    if (typeof (e as { statusCode?: unknown }).statusCode === 'number') return false;
    throw e;
  }
  const queueUrl = getSyncState(db).queueUrl;
  if (!queueUrl) return true;
  const queueOrigin = queueOriginSetting().queueOrigin;
  const queue = await fetch(queueUrlVia(queueUrl, queueOrigin), {
    method: 'HEAD',
    signal: AbortSignal.timeout(timeoutMs),
  });
  await queue.body?.cancel();
  return true;
}
