import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createPosService, type PosService, type PosServiceOptions } from '../api/pos-service';
import { syncControlFromTimer } from '../api/sync-control';
import type { Till } from '../open-till';
import { openOfflinePeriod } from '../store/offline-periods';
import { goOffline, goOnline } from '../sync/offline-mode';
import { tillPaths } from '../sync/provision';
import { createTillTimer } from '../timer/till-timer';
import { openTillFile, type TillFileOptions } from './till-file';

/**
 * What the till host (`npm run till`) and the desktop app both start: the
 * till's database, the PosApi service on it, and, when head office has
 * provisioned the till, its sync timer, whose status drives the header and
 * whose runs "Sync now" and "Work offline" control. One place, so the browser
 * till and the Electron till behave alike.
 */
export interface TillAppOptions extends Pick<TillFileOptions, 'branch' | 'till' | 'demo'> {
  /** The till database; sync needs it to be `till.sqlite` in a provisioned data folder. */
  readonly db: string;
  readonly log?: (line: string) => void;
  readonly serviceLog?: PosServiceOptions['log'];
  /** How often the timer checks for head office while offline. */
  readonly probeIntervalMs?: number;
  /** How long closing waits for a sync in progress before giving up on it (a cut-off sync only resends). */
  readonly closeGraceMs?: number;
}

export interface TillApp {
  readonly till: Till;
  readonly service: PosService;
  /** Why this till does not sync, in words for whoever started it; null when its timer runs. */
  readonly syncOff: string | null;
  /** Stops the timer (after the sync in progress, within the grace) and closes the database. */
  close(): Promise<void>;
}

/** Why a database cannot sync, or null when its folder holds head office's credentials. */
export function syncOffReason(dbPath: string): string | null {
  const dir = dirname(resolve(dbPath));
  const paths = tillPaths(dir);
  if (resolve(dbPath) !== paths.db) {
    return `Sync is off: ${dbPath} is not the till.sqlite of a till data folder. Sales stay on this till; run the till with --data <dir> after npm run provision -- <bundle.json> --data <dir>.`;
  }
  if (!existsSync(paths.credentials)) {
    return `Sync is off: this till is not provisioned (no credentials.json in ${dir}). Sales stay safely on this till; install head office's file with: npm run provision -- <bundle.json> --data ${dir}`;
  }
  return null;
}

export function openTillApp(options: TillAppOptions): TillApp {
  const log = options.log ?? console.log;
  const till = openTillFile(options.db, {
    ...(options.branch ? { branch: options.branch } : {}),
    ...(options.till ? { till: options.till } : {}),
    ...(options.demo ? { demo: options.demo } : {}),
    log,
  });
  const syncOff = syncOffReason(options.db);
  let timer: ReturnType<typeof createTillTimer> | null = null;
  try {
    if (!syncOff) {
      timer = createTillTimer(dirname(resolve(options.db)), {
        ...(options.probeIntervalMs ? { probeIntervalMs: options.probeIntervalMs } : {}),
        // The run itself records what it found (sync/run.ts); this covers the
        // health checks between runs, so the header changes as soon as they say.
        onNetwork: (up, detail) => {
          if (up) goOnline(till.deps, { cause: 'network', by: null });
          else goOffline(till.deps, { cause: 'network', by: null, detail: `No answer from head office: ${detail}` });
        },
      });
    }
  } catch (e) {
    till.store.close();
    throw e;
  }
  const service = createPosService(till, {
    ...(timer ? { sync: syncControlFromTimer(timer) } : {}),
    ...(options.serviceLog ? { log: options.serviceLog } : {}),
  });
  if (timer && openOfflinePeriod(till.store.read)?.cause === 'manual') {
    log('Sync is paused: a manager switched this till to Work offline. Switch it off in the till to sync again.');
  } else if (timer) {
    timer.start();
    log(`Sync is on: pull, then push, on the branch's schedule and at once when the network comes back.`);
  } else {
    log(syncOff!);
  }
  let closing: Promise<void> | null = null;
  return {
    till,
    service,
    syncOff,
    close() {
      closing ??= (async () => {
        if (timer) {
          let wait: NodeJS.Timeout | undefined;
          const grace = new Promise<'late'>((done) => {
            wait = setTimeout(() => done('late'), options.closeGraceMs ?? 10_000);
          });
          const outcome = await Promise.race([timer.close().then(() => 'stopped' as const), grace]);
          clearTimeout(wait);
          if (outcome === 'late') log('Stopped waiting for the sync in progress; the next sync sends what it had not.');
        }
        till.store.close();
      })();
      return closing;
    },
  };
}
