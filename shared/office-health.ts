/**
 * What head office's health page is told about each branch and till, and
 * about messages the worker rejected (cloud-worker/repositories/health-repository.ts
 * computes it; the page draws it).
 */
export type HealthState = 'green' | 'amber' | 'red';

export interface MissingRange {
  readonly first: number;
  readonly last: number;
  /** The receipt numbers of the sales among the missing sequences, exactly, when sales on both sides arrived. */
  readonly receipts: string[];
  /** Receipts after this one are missing too, but how many is not known yet (no later sale arrived). */
  readonly receiptsAfter: string | null;
}

/** A time a till worked offline, by its own clock; `endedAt` null while it still does. */
export interface OfflinePeriodHealth {
  readonly cause: 'network' | 'manual';
  readonly startedAt: number;
  readonly endedAt: number | null;
  /** Who switched to Work offline, by name (or id when head office does not know the name). */
  readonly startedBy: string | null;
  readonly endedBy: string | null;
  readonly detail: string;
}

/** What the till last said of its database, on its last pull. */
export interface TillDbHealth {
  readonly bytes: number;
  readonly rowsWaiting: number;
  /** How old the oldest sale not yet in the central database is now; null when none waits. */
  readonly oldestUnsyncedAgeMs: number | null;
  readonly reportedAt: number;
}

export interface TillHealth {
  readonly branch: string;
  readonly till: number;
  readonly lastSeenAt: number | null;
  readonly lastPullAt: number | null;
  readonly lastIngestAt: number | null;
  readonly lastDeviceTime: number | null;
  /** Device time of the newest batch minus the server time it arrived (includes its time in the queue). */
  readonly skewMs: number | null;
  readonly salesToday: number;
  readonly highestSeq: number;
  readonly ackedSeq: number;
  readonly missing: MissingRange[];
  readonly missingCount: number;
  /** Sequences the till has sent that head office has not ingested yet, as far as it can tell. */
  readonly notIngestedEstimate: number;
  readonly lastError: { code: string; reason: string; at: number } | null;
  /** null until the till reports it (tills report on each pull). */
  readonly db: TillDbHealth | null;
  /** Offline periods that head office has heard of, newest first (the last 30 days, at most 20). */
  readonly offline: OfflinePeriodHealth[];
  readonly state: HealthState;
  readonly reasons: string[];
}

export interface BranchHealth {
  readonly code: string;
  readonly nameEn: string;
  readonly nameBn: string;
  readonly state: HealthState;
  readonly tills: TillHealth[];
}

export interface RejectedMessage {
  readonly messageId: string;
  readonly queue: string;
  readonly branch: string | null;
  readonly till: number | null;
  readonly code: string;
  readonly field: string;
  readonly reason: string;
  readonly dequeueCount: number;
  readonly rejectedAt: number;
  readonly redrivenAt: number | null;
}
