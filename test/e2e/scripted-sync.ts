import type { SyncControl } from '../../main/api/sync-control';
import type { WritableDB } from '../../main/store/db';
import { applyAcknowledgement, markQueued, outboxCounts } from '../../main/store/outbox';
import type { SyncStatus } from '../../main/timer/timer-service';

/**
 * Stands in for the sync service at the SyncControl boundary, so the
 * screens' side of sync (header, ticks, Sync now, Work offline) can be driven
 * step by step in a browser. Each run moves the outbox the way a push (✔)
 * and a pull of acknowledgements (✔✔) do, through the same store functions.
 * The suite against the real sync, Azurite and the central side replaces it
 * with the timer service.
 */
export class ScriptedSync implements SyncControl {
  network = true;
  /** What the next run does after pushing: also bring back the central side's acknowledgement. */
  acknowledge = false;
  paused = false;
  runs = 0;
  private online: boolean | null = null;
  private lastSuccessAt: number | null = null;
  private lastError: SyncStatus['lastError'] = null;

  constructor(
    private readonly db: WritableDB,
    private readonly now: () => number = Date.now,
  ) {}

  status() {
    return {
      online: this.online,
      running: false,
      lastSuccessAt: this.lastSuccessAt,
      lastError: this.lastError,
      nextRunAt: null,
    };
  }

  async runNow(): Promise<void> {
    this.runs += 1;
    if (!this.network) {
      this.online = false;
      this.lastError = { kind: 'offline', message: 'The network is down.', at: this.now() };
      return;
    }
    const { lastSeq } = outboxCounts(this.db);
    if (lastSeq > 0) markQueued(this.db, 1, lastSeq, this.now());
    if (this.acknowledge && lastSeq > 0)
      applyAcknowledgement(this.db, { ackedThrough: lastSeq, missing: [] }, this.now());
    this.online = true;
    this.lastError = null;
    this.lastSuccessAt = this.now();
  }

  async setPaused(paused: boolean): Promise<void> {
    this.paused = paused;
  }
}
