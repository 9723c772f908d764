import { randomBytes } from 'node:crypto';
import { createIdFactory } from '../../shared/ids';
import { openTill } from '../open-till';
import { outboxCounts } from '../store/outbox';
import { pruneAcknowledged } from '../store/prune';
import { recordSyncAttempt, recordSyncFailure, recordSyncSuccess } from '../store/sync-state';
import { getBranchSettings } from '../store/till';
import { requeueStale } from '../store/outbox';
import { inTransaction, type ReadableDB } from '../store/db';
import { tillDbHealth } from '../store/db-health';
import { classifyError, SyncFailure } from './failure';
import { loadCredentials, tillPaths } from './provision';
import { checkHeadOffice, pullAll, type PullSummary, type TillHealthReport } from './pull';
import { pushOutbox, sasQueueSender, type PushSummary, type QueueSender } from './push';
import { goOffline, goOnline } from './offline-mode';
import { sealOutbox, type SealDeps } from './seal';
import { acquireSyncLock } from './single-flight';
import { tillQueuePrimitives, tillSigner } from './till-primitives';

export type SyncProgress =
  | { readonly phase: 'pull'; readonly pages: number; readonly changes: number }
  | { readonly phase: 'push'; readonly messages: number; readonly sales: number; readonly events: number }
  /** After a failed run: messages packed and kept for the next run that reaches head office. */
  | { readonly phase: 'seal'; readonly messages: number; readonly sales: number; readonly events: number };

export interface SyncOptions {
  /** The till's data folder (database and credentials). */
  readonly dir: string;
  readonly now?: () => number;
  readonly onProgress?: (p: SyncProgress) => void;
  /** Messages in flight at once. */
  readonly concurrency?: number;
  readonly timeoutMs?: number;
  readonly missingGraceMs?: number;
  /** Where to send; by default the add-only SAS URL from the latest pull. */
  readonly sender?: (queueUrl: string) => QueueSender;
  /**
   * Reach the queue through this origin (scheme, host and port) instead of
   * the one in the SAS URL: for a shop whose network reaches the storage
   * account only through a gateway. The till's data folder or the
   * HAAT_QUEUE_ORIGIN setting of the process gives it.
   */
  readonly queueOrigin?: string;
}

export interface SyncSummary {
  readonly pull: PullSummary;
  readonly push: PushSummary;
  readonly resentStale: number;
  readonly pruned: { readonly sales: number; readonly outbox: number };
  /** After the run: not yet accepted by the queue. */
  readonly pending: number;
  /** After the run: accepted by the queue (✔), not yet confirmed by head office (✔✔). */
  readonly queuedNotAcked: number;
  readonly startedAt: number;
  readonly finishedAt: number;
}

/**
 * One sync run, the same for the timer and the `haat-sync` command: take the
 * till's sync lock (or stop at once with SyncBusyError), pull master data and
 * acknowledgements, put back what stayed ✔ without ✔✔ too long, push the
 * outbox, prune what head office confirmed past the retention window. Every
 * failure is classified; what was done before it stays done, and after one
 * that will pass (no network, a busy or failing server) the pending outbox
 * is packed into messages ahead of the next run (`sealOutbox`). A run that
 * finds no answer starts a network offline period, and one that gets an
 * answer ends it before pushing, so the end travels in the same push.
 */
export async function runSync(options: SyncOptions): Promise<SyncSummary> {
  const paths = tillPaths(options.dir);
  const lock = acquireSyncLock(paths.db);
  try {
    const credentials = loadCredentials(options.dir);
    const now = options.now ?? Date.now;
    const till = openTill(paths.db, { now });
    try {
      const db = till.deps.db;
      const startedAt = now();
      recordSyncAttempt(db, startedAt);
      // Head office or the queue not answering within the branch's timeout
      // means the network is down: the run fails as offline instead of hanging.
      const timeoutMs = options.timeoutMs ?? getBranchSettings(db).networkTimeoutSeconds * 1000;
      let packing: SealDeps | undefined;
      try {
        packing = {
          db,
          till: till.id,
          ids: createIdFactory(now, (n) => new Uint8Array(randomBytes(n))),
          now,
          signer: tillSigner(credentials.keyId, credentials.signingKey),
          primitives: tillQueuePrimitives,
        };
        // The short timeout is for whether head office answers at all; a pull
        // page, which head office may take a while to put together on a busy
        // day, gets at least 30 s.
        await checkHeadOffice(credentials.apiUrl, timeoutMs);
        const pull = await pullAll({
          db,
          now,
          credentials,
          timeoutMs: Math.max(timeoutMs, 30_000),
          health: healthReport(db, startedAt),
          ...(options.missingGraceMs !== undefined ? { missingGraceMs: options.missingGraceMs } : {}),
          onPage: (p) => options.onProgress?.({ phase: 'pull', ...p }),
        });
        // Head office answered: an outage the till was in is over, and its end goes out in this push.
        goOnline(till.deps, { cause: 'network', by: null });
        const settings = getBranchSettings(db);
        const resentStale = inTransaction(db, () => requeueStale(db, now() - settings.resendAfterMinutes * 60_000));
        const push = await pushOutbox({
          ...packing,
          sender: (options.sender ?? ((url) => sasQueueSender(url, timeoutMs)))(
            queueUrlVia(pull.queueUrl, options.queueOrigin),
          ),
          ...(options.concurrency ? { concurrency: options.concurrency } : {}),
          onProgress: (p) => options.onProgress?.({ phase: 'push', ...p }),
        });
        const pruned = pruneAcknowledged(db, now() - settings.retentionDays * 86_400_000);
        const finishedAt = now();
        recordSyncSuccess(db, finishedAt);
        const counts = outboxCounts(db);
        return {
          pull,
          push,
          resentStale,
          pruned: { sales: pruned.sales, outbox: pruned.outbox },
          pending: counts.pending,
          queuedNotAcked: counts.queuedNotAcked,
          startedAt,
          finishedAt,
        };
      } catch (e) {
        const failure = classifyError(e);
        recordSyncFailure(db, failure.kind, failure.message, now());
        if (failure.kind === 'offline') {
          goOffline(till.deps, { cause: 'network', by: null, detail: `No answer from head office: ${failure.detail}` });
        }
        if (failure.retryable && packing) {
          // Head office or the queue will be back: have the messages ready for it.
          try {
            const sealed = await sealOutbox(packing);
            if (sealed.messages > 0) options.onProgress?.({ phase: 'seal', ...sealed });
          } catch (sealing) {
            // The push packs what could not be sealed; the run's own failure is what the shop needs to hear.
            console.error('packing the outbox ahead failed', sealing);
          }
        }
        throw failure;
      }
    } finally {
      till.store.close();
    }
  } finally {
    lock.release();
  }
}

export { SyncFailure };

/** The till's database health as head office is told it, ages by the till's own clock. */
export function healthReport(db: ReadableDB, now: number): TillHealthReport {
  const h = tillDbHealth(db);
  return {
    dbBytes: h.bytes,
    rowsWaiting: h.rowsWaiting,
    lastSeq: outboxCounts(db).lastSeq,
    oldestUnsynced: h.oldestUnsyncedSale
      ? { seq: h.oldestUnsyncedSale.seq, ageMs: Math.max(0, now - h.oldestUnsyncedSale.at) }
      : null,
  };
}

/** The SAS URL with its origin replaced, path and signature kept. */
export function queueUrlVia(queueUrl: string, origin: string | undefined): string {
  if (!origin) return queueUrl;
  const bad = () => new SyncFailure('config', `the queue origin ${origin} must be only a scheme, host and port`);
  let via: URL;
  try {
    via = new URL(origin);
  } catch (e) {
    throw Object.assign(bad(), { cause: e });
  }
  if (via.pathname !== '/' || via.search || via.hash || !/^https?:$/.test(via.protocol)) throw bad();
  const url = new URL(queueUrl);
  return new URL(url.pathname + url.search, via.origin).toString();
}
