import cron from 'node-cron';
import { backoffDelay, type BackoffPolicy, DEFAULT_BACKOFF } from '../sync/backoff';
import { classifyError, type SyncFailureKind } from '../sync/failure';
import { SyncBusyError } from '../sync/single-flight';

/** What the till's header shows about sync. */
export interface SyncStatus {
  /** null until the first run or probe has said. */
  readonly online: boolean | null;
  readonly running: boolean;
  readonly lastSuccessAt: number | null;
  readonly lastError: { readonly kind: SyncFailureKind; readonly message: string; readonly at: number } | null;
  /** Events not yet accepted by the queue. */
  readonly pending: number;
  /** Accepted by the queue (✔), not yet in the central database (✔✔). */
  readonly queuedNotAcked: number;
  readonly nextRunAt: number | null;
}

export interface TimerDeps {
  /** One sync run: pull, then push. Throws on failure. */
  readonly runSync: () => Promise<unknown>;
  /** A cheap check that head office answers, used while offline. */
  readonly probe: () => Promise<boolean>;
  readonly counts: () => { pending: number; queuedNotAcked: number };
  /**
   * Cron expression from branch settings, read again after every run: head
   * office may change it, and a new till learns its branch's on its first pull.
   */
  readonly schedule: string | (() => string);
  /**
   * How long after each scheduled time this till runs: a fixed offset of its
   * own (see `spreadOffsetMs`), so that a chain's tills do not all call head
   * office in the same second.
   */
  readonly spreadMs?: (schedule: string) => number;
  readonly now?: () => number;
  readonly backoff?: BackoffPolicy;
  /** How often to check for the network while offline. */
  readonly probeIntervalMs?: number;
  readonly onStatus?: (status: SyncStatus) => void;
  /**
   * Whether head office answered: false when a run failed because the API or
   * the queue did not answer, true when a run succeeded or a health check
   * passed. Called on every such outcome; the till records only changes.
   */
  readonly onNetwork?: (up: boolean, detail: string) => void;
}

export interface TimerService {
  start(): void;
  /** No more scheduled, retried or probe-started runs; a run in progress finishes on its own. */
  pause(): Promise<void>;
  /** Pauses, then waits for the run in progress. */
  stop(): Promise<void>;
  /** Runs a sync now unless one is running; resolves when it ends. */
  runNow(): Promise<void>;
  status(): SyncStatus;
}

/**
 * Runs sync on the branch's schedule, and again as soon as the network comes
 * back after an outage. A failed run is retried with exponential backoff and
 * full jitter, capped; auth and configuration failures wait for the schedule,
 * since retrying cannot fix them.
 */
export function createTimerService(deps: TimerDeps): TimerService {
  const readSchedule = typeof deps.schedule === 'function' ? deps.schedule : () => deps.schedule as string;
  let schedule = readSchedule();
  if (!cron.validate(schedule)) throw new Error(`sync schedule "${schedule}" is not a valid cron expression`);
  const now = deps.now ?? Date.now;
  const probeEvery = deps.probeIntervalMs ?? 15_000;
  let online: boolean | null = null;
  let running: Promise<void> | null = null;
  let lastSuccessAt: number | null = null;
  let lastError: SyncStatus['lastError'] = null;
  let attempt = 0;
  let retryTimer: NodeJS.Timeout | null = null;
  let retryAt: number | null = null;
  let probeTimer: NodeJS.Timeout | null = null;
  let probing = false;
  let task: ReturnType<typeof cron.schedule> | null = null;
  let spreadTimer: NodeJS.Timeout | null = null;
  let stopped = true;
  const spread = () => deps.spreadMs?.(schedule) ?? 0;

  const status = (): SyncStatus => {
    const counts = deps.counts();
    const cronTime = task?.getNextRun()?.getTime();
    const cronNext = cronTime === undefined ? null : cronTime + spread();
    const nextRunAt = retryAt !== null && (cronNext === null || retryAt < cronNext) ? retryAt : cronNext;
    return { online, running: running !== null, lastSuccessAt, lastError, ...counts, nextRunAt };
  };
  const publish = () => deps.onStatus?.(status());

  function clearRetry() {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    retryAt = null;
  }

  function startProbing() {
    if (probeTimer || stopped) return;
    probeTimer = setInterval(() => {
      // A check on a line that does not answer waits for its timeout; never pile up more behind it.
      if (running || probing) return;
      probing = true;
      deps
        .probe()
        .finally(() => (probing = false))
        .then(
          (up) => {
            if (up && !stopped) {
              online = true;
              network(true, 'health check passed');
              stopProbing();
              void runNow();
            }
          },
          () => undefined,
        );
    }, probeEvery);
    probeTimer.unref();
  }

  function network(up: boolean, detail: string) {
    try {
      deps.onNetwork?.(up, detail);
    } catch (e) {
      // Recording the change must never stop sync; the next outcome records it again.
      console.error('recording the network state failed', e);
    }
  }

  function stopProbing() {
    if (probeTimer) clearInterval(probeTimer);
    probeTimer = null;
  }

  async function once(): Promise<void> {
    clearRetry();
    publish();
    try {
      await deps.runSync();
      online = true;
      lastSuccessAt = now();
      lastError = null;
      attempt = 0;
      network(true, 'sync succeeded');
      stopProbing();
    } catch (e) {
      if (e instanceof SyncBusyError) return;
      const failure = classifyError(e);
      lastError = { kind: failure.kind, message: failure.message, at: now() };
      if (failure.kind === 'offline') {
        online = false;
        network(false, failure.detail);
        startProbing();
      }
      if (failure.retryable && !stopped) {
        const delay = backoffDelay(attempt, deps.backoff ?? DEFAULT_BACKOFF);
        attempt += 1;
        retryAt = now() + delay;
        retryTimer = setTimeout(() => void runNow(), delay);
        retryTimer.unref();
      }
    }
  }

  function runNow(): Promise<void> {
    if (!running) {
      running = once().finally(() => {
        running = null;
        reschedule();
        publish();
      });
    }
    return running;
  }

  function scheduleTask() {
    task = cron.schedule(
      schedule,
      () => {
        const delay = spread();
        if (delay <= 0) return runNow();
        if (spreadTimer) return;
        spreadTimer = setTimeout(() => {
          spreadTimer = null;
          if (!stopped) void runNow();
        }, delay);
        spreadTimer.unref();
      },
      { name: 'haat-sync', noOverlap: true },
    );
  }

  /** Follows a schedule the last pull changed; an invalid one keeps the one in use. */
  function reschedule() {
    let next: string;
    try {
      next = readSchedule();
    } catch {
      return;
    }
    if (next === schedule || !cron.validate(next)) return;
    schedule = next;
    if (stopped || !task) return;
    const old = task;
    scheduleTask();
    void old.destroy();
  }

  async function pause(): Promise<void> {
    stopped = true;
    clearRetry();
    stopProbing();
    if (spreadTimer) clearTimeout(spreadTimer);
    spreadTimer = null;
    await task?.destroy();
    task = null;
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      scheduleTask();
      void runNow();
    },
    pause,
    async stop() {
      await pause();
      await running;
    },
    runNow,
    status,
  };
}

/**
 * A till's offset within its sync interval, the same at every start: a hash
 * of its branch and number over the interval of an every-N-minutes schedule, or
 * over a minute for any other minute-grained schedule. A schedule in seconds
 * (six fields: demos and tests) runs on time.
 */
export function spreadOffsetMs(schedule: string, tillKey: string): number {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) return 0;
  const every = /^\*\/(\d+)$/.exec(fields[0]!);
  const windowMs = every && fields.slice(1).every((f) => f === '*') ? Number(every[1]) * 60_000 : 60_000;
  let hash = 2166136261;
  for (const ch of tillKey) hash = Math.imul(hash ^ ch.charCodeAt(0), 16777619) >>> 0;
  // Whole seconds, leaving the last few of the window free for the run itself.
  return (hash % Math.max(1, Math.floor(windowMs / 1000) - 5)) * 1000;
}
