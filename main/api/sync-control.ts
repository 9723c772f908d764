import type { SyncStatus, TimerService } from '../timer/timer-service';

/**
 * What the till's API needs from the sync service: its status, a run on
 * demand, and a pause for "Work offline". The host works without one (sync
 * not wired yet, or a till with only a browser), and then says it does not
 * know whether it is online rather than guess.
 */
export interface SyncControl {
  status(): Pick<SyncStatus, 'online' | 'running' | 'lastSuccessAt' | 'lastError' | 'nextRunAt'>;
  /** One run now; resolves when it ends, whether it succeeded or not (the outcome is in status). */
  runNow(): Promise<void>;
  /** Stops scheduled and automatic runs while the cashier works offline, and resumes them. */
  setPaused(paused: boolean): Promise<void>;
}

/**
 * Drives the timer service: pausing stops its schedule, retries and network
 * checks, resuming starts it (which syncs at once). Pausing does not wait for
 * a run in progress, which may hang on a bad line for its whole timeout: the
 * cashier's switch answers at once and that run ends on its own.
 */
export function syncControlFromTimer(timer: TimerService): SyncControl {
  return {
    status: () => timer.status(),
    runNow: () => timer.runNow(),
    async setPaused(paused) {
      if (paused) await timer.pause();
      else timer.start();
    },
  };
}
