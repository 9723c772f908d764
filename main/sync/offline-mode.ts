import { ok, type Result } from '../../shared/result';
import type { OfflineCause } from '../../shared/wire/events';
import type { TillDeps } from '../deps';
import { inTransaction } from '../store/db';
import { endOfflinePeriod, insertOfflinePeriod, openOfflinePeriod, type OfflinePeriod } from '../store/offline-periods';
import { appendEvent } from '../store/outbox';

/**
 * The till's offline mode, as facts head office sees per till: when it went
 * offline, why (its network, or a manager's Work offline), who, and when it
 * came back. Each change writes the period and its outbox event in one
 * transaction, so the event reaches head office with the sales, however long
 * the line stays down, and exactly once.
 *
 * A manager's switch outranks the network: switching to Work offline while
 * the network is down ends the network period and starts a manual one, and a
 * health check passing does not end a manual period. Asking for the state the
 * till is already in changes nothing, so the timer may report every outcome.
 */
export function goOffline(
  deps: TillDeps,
  input: { readonly cause: OfflineCause; readonly by: string | null; readonly detail: string },
): Result<{ readonly period: OfflinePeriod; readonly changed: boolean }> {
  return inTransaction(deps.db, () => {
    const open = openOfflinePeriod(deps.db);
    if (open && (open.cause === input.cause || open.cause === 'manual')) return ok({ period: open, changed: false });
    const at = deps.now();
    if (open) end(deps, open, { cause: input.cause, by: input.by }, at);
    const period = {
      id: deps.ids.offlinePeriod(),
      cause: input.cause,
      startedAt: at,
      startedBy: input.by,
      detail: input.detail.slice(0, 200),
    };
    insertOfflinePeriod(deps.db, period);
    appendEvent(
      deps.db,
      deps.ids,
      'till.offline',
      { periodId: period.id, cause: period.cause, startedAt: at, by: period.startedBy, detail: period.detail },
      at,
    );
    return ok({ period: openOfflinePeriod(deps.db)!, changed: true });
  });
}

/** Ends the open period: a health check passed (`network`), or staff turned Work offline off (`manual`). */
export function goOnline(
  deps: TillDeps,
  input: { readonly cause: OfflineCause; readonly by: string | null },
): Result<{ readonly changed: boolean }> {
  return inTransaction(deps.db, () => {
    const open = openOfflinePeriod(deps.db);
    if (!open || (input.cause === 'network' && open.cause === 'manual')) return ok({ changed: false });
    end(deps, open, input, deps.now());
    return ok({ changed: true });
  });
}

function end(deps: TillDeps, open: OfflinePeriod, how: { cause: OfflineCause; by: string | null }, at: number) {
  endOfflinePeriod(deps.db, open.id, { endedAt: at, endedBy: how.by, endCause: how.cause });
  appendEvent(deps.db, deps.ids, 'till.online', { periodId: open.id, cause: how.cause, endedAt: at, by: how.by }, at);
}
