import { useCallback } from 'react';
import type { BranchHealth, HealthState, RejectedMessage, TillHealth } from '../../../../shared/office-health';
import { formatBytes, formatDuration } from '../../../../shared/format';
import type { OfficeClient } from '../api';
import { ErrorNote } from '../components/ErrorNote';
import { useResource } from '../use-resource';
import { useTexts, type MessageKey } from '../i18n';

export interface HealthView {
  readonly serverTime: number;
  readonly rule: {
    redSilentHours: number;
    rejectedWithinHours: number;
    skewMinutes: number;
    workerAliveSeconds: number;
    syncLateAfterMinutes: number;
    maxTillDbMegabytes: number;
  };
  readonly queue: {
    depth: number | null;
    poisonDepth: number | null;
    workersAlive: number;
    ingestRate: { batchesPerMinute: number; eventsPerMinute: number; windowMinutes: number };
  };
  readonly branches: BranchHealth[];
}

function StateBadge({ state }: { state: HealthState }) {
  const { t } = useTexts();
  return (
    <span className={`state state-${state}`} data-state={state}>
      <span className="dot" aria-hidden="true" />
      {t(`state.${state}`)}
    </span>
  );
}

function skewText(ms: number | null, digits: (s: string) => string): string {
  if (ms === null) return '—';
  const minutes = Math.round(ms / 60_000);
  if (Math.abs(ms) < 60_000) return digits(`${Math.round(ms / 1000)} s`);
  return digits(`${minutes > 0 ? '+' : ''}${minutes} min`);
}

function MissingCell({ till }: { till: TillHealth }) {
  const { t, digits } = useTexts();
  if (till.missing.length === 0) return <>{t('common.none')}</>;
  return (
    <ul className="missing">
      {till.missing.map((m) => (
        <li key={m.first}>
          {m.receipts.length > 0 && <span className="receipts">{digits(m.receipts.join(', '))}</span>}
          {m.receiptsAfter && <span>{t('health.receiptsAfter', { receipt: m.receiptsAfter })}</span>}
          {m.receipts.length === 0 && !m.receiptsAfter && (
            <span className="muted">{t('health.nonSales', { first: m.first, last: m.last })}</span>
          )}
        </li>
      ))}
    </ul>
  );
}

function TillDbCell({ till }: { till: TillHealth }) {
  const { t, lang, count, time } = useTexts();
  if (!till.db) return <span className="muted">{t('health.dbUnknown')}</span>;
  const { db } = till;
  return (
    <div className="till-db">
      <strong>{t('health.dbSize', { size: formatBytes(db.bytes, { lang }) })}</strong>
      <div className="small">{t('health.dbWaiting', { n: count(db.rowsWaiting) })}</div>
      {db.oldestUnsyncedAgeMs !== null && (
        <div className="small">{t('health.dbOldest', { age: formatDuration(db.oldestUnsyncedAgeMs, { lang }) })}</div>
      )}
      <div className="muted small">{t('health.dbReported', { time: time(db.reportedAt) })}</div>
    </div>
  );
}

/** When each till of a branch worked offline: when, for how long, why and who. */
function OfflinePeriods({ tills, now }: { tills: TillHealth[]; now: number }) {
  const { t, lang, time, digits } = useTexts();
  const rows = tills.flatMap((till) => till.offline.map((p) => ({ till: till.till, ...p })));
  if (rows.length === 0) return null;
  return (
    <details className="offline-periods" open>
      <summary>{t('health.offlineTitle')}</summary>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{t('health.col.till')}</th>
              <th>{t('health.offline.from')}</th>
              <th>{t('health.offline.length')}</th>
              <th>{t('health.offline.cause')}</th>
              <th>{t('health.offline.who')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={`${p.till}-${p.startedAt}`} data-offline={p.cause}>
                <td>{digits(String(p.till))}</td>
                <td>{time(p.startedAt)}</td>
                <td>
                  {p.endedAt === null ? (
                    <span className="state state-amber">
                      {t('health.offline.ongoing')} · {formatDuration(now - p.startedAt, { lang })}
                    </span>
                  ) : (
                    formatDuration(p.endedAt - p.startedAt, { lang })
                  )}
                </td>
                <td>
                  {t(p.cause === 'manual' ? 'health.offline.manual' : 'health.offline.network')}
                  <div className="muted small">{p.detail}</div>
                </td>
                <td>
                  {p.startedBy ?? '—'}
                  {p.endedBy && <div className="muted small">{t('health.offline.endedBy', { name: p.endedBy })}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/**
 * Sync health: the queue and its workers at the top, then every branch's
 * tills with their colour and why, the rule that decides the colour, and the
 * messages the worker rejected, which an admin can send again after a fix.
 */
export function HealthPage({ client, admin }: { client: OfficeClient; admin: boolean }) {
  const { t, lang, time, count, digits } = useTexts();
  const { data, error, reload, act } = useResource(
    useCallback(
      () =>
        Promise.all([
          client.get<HealthView>('/v1/office/health'),
          client.get<{ rejected: RejectedMessage[] }>('/v1/office/rejected'),
        ]),
      [client],
    ),
  );

  async function redrive(messageId: string) {
    if (!window.confirm(t('health.redriveConfirm'))) return;
    await act(() => client.send('POST', `/v1/admin/rejected/${encodeURIComponent(messageId)}/redrive`));
  }

  if (!data) return error ? <ErrorNote error={error} /> : <p>{t('common.loading')}</p>;
  const [health, { rejected }] = data;
  const { rule, queue } = health;
  const num = (n: number | null) => (n === null ? '—' : count(n));

  return (
    <section aria-labelledby="health-title">
      <div className="page-head">
        <h1 id="health-title">{t('health.title')}</h1>
        <span className="muted">{t('health.serverTime', { time: time(health.serverTime) })}</span>
        <button type="button" onClick={() => void reload()}>
          {t('common.refresh')}
        </button>
      </div>
      <ErrorNote error={error} />
      <dl className="tiles">
        <div className="tile">
          <dt>{t('health.queueDepth')}</dt>
          <dd data-testid="queue-depth">{num(queue.depth)}</dd>
        </div>
        <div className="tile">
          <dt>{t('health.poisonDepth')}</dt>
          <dd data-testid="poison-depth">{num(queue.poisonDepth)}</dd>
        </div>
        <div className="tile">
          <dt>{t('health.workers')}</dt>
          <dd data-testid="workers-alive">{num(queue.workersAlive)}</dd>
        </div>
        <div className="tile">
          <dt>{t('health.rate', { minutes: queue.ingestRate.windowMinutes })}</dt>
          <dd className="small">
            {t('health.rateValue', {
              events: digits(String(queue.ingestRate.eventsPerMinute)),
              batches: digits(String(queue.ingestRate.batchesPerMinute)),
            })}
          </dd>
        </div>
      </dl>

      <details className="rule" open>
        <summary>{t('health.rule')}</summary>
        <ul>
          <li>
            <StateBadge state="red" />{' '}
            {t('health.ruleRed', { red: rule.redSilentHours, rejected: rule.rejectedWithinHours })}
          </li>
          <li>
            <StateBadge state="amber" />{' '}
            {t('health.ruleAmber', {
              late: formatDuration(rule.syncLateAfterMinutes * 60_000, { lang }),
              size: formatBytes(rule.maxTillDbMegabytes * 1024 * 1024, { lang }),
              skew: rule.skewMinutes,
            })}
          </li>
          <li>
            <StateBadge state="green" /> {t('health.ruleGreen')}
          </li>
        </ul>
      </details>

      {health.branches.map((b) => (
        <article key={b.code} className="card branch-health" data-branch={b.code}>
          <h2>
            <StateBadge state={b.state} /> {b.code} · {lang === 'bn' && b.nameBn ? b.nameBn : b.nameEn}
          </h2>
          {b.tills.length === 0 ? (
            <p className="muted">{t('health.noTills')}</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>{t('health.col.till')}</th>
                    <th>{t('health.col.state')}</th>
                    <th>{t('health.col.lastSeen')}</th>
                    <th>{t('health.col.deviceTime')}</th>
                    <th className="num">{t('health.col.skew')}</th>
                    <th className="num">{t('health.col.salesToday')}</th>
                    <th className="num">{t('health.col.highest')}</th>
                    <th>{t('health.col.missing')}</th>
                    <th className="num">{t('health.col.notIngested')}</th>
                    <th>{t('health.col.tillDb')}</th>
                    <th>{t('health.col.lastError')}</th>
                  </tr>
                </thead>
                <tbody>
                  {b.tills.map((till) => (
                    <tr key={till.till} data-till={`${till.branch}-${till.till}`}>
                      <td>{digits(String(till.till))}</td>
                      <td>
                        <StateBadge state={till.state} />
                        {till.reasons.length > 0 && (
                          <div className="muted small">
                            {till.reasons.map((r) => t(`reason.${r}` as MessageKey)).join(', ')}
                          </div>
                        )}
                      </td>
                      <td>{till.lastSeenAt ? time(till.lastSeenAt) : t('common.never')}</td>
                      <td>{till.lastDeviceTime ? time(till.lastDeviceTime) : '—'}</td>
                      <td className="num">{skewText(till.skewMs, digits)}</td>
                      <td className="num" data-testid="sales-today">
                        {count(till.salesToday)}
                      </td>
                      <td className="num">{count(till.highestSeq)}</td>
                      <td>
                        <MissingCell till={till} />
                      </td>
                      <td className="num">{count(till.notIngestedEstimate)}</td>
                      <td data-testid="till-db">
                        <TillDbCell till={till} />
                      </td>
                      <td>
                        {till.lastError ? (
                          <>
                            <code>{till.lastError.code}</code> {till.lastError.reason}
                            <div className="muted small">{time(till.lastError.at)}</div>
                          </>
                        ) : (
                          t('common.none')
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <OfflinePeriods tills={b.tills} now={health.serverTime} />
        </article>
      ))}

      <h2>{t('health.rejected')}</h2>
      {rejected.length === 0 ? (
        <p className="muted">{t('health.noRejected')}</p>
      ) : (
        <div className="table-wrap card">
          <table>
            <thead>
              <tr>
                <th>{t('health.col.when')}</th>
                <th>{t('health.col.from')}</th>
                <th>{t('health.col.reason')}</th>
                <th>{t('health.col.redriven')}</th>
                {admin && <th>{t('common.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {rejected.map((r) => (
                <tr key={r.messageId} data-message={r.messageId}>
                  <td>{time(r.rejectedAt)}</td>
                  <td>{r.branch ? `${r.branch}-${digits(String(r.till))}` : '—'}</td>
                  <td>
                    <code>{r.code}</code> {r.field !== '(root)' && <code>{r.field}</code>} {r.reason}
                  </td>
                  <td>{r.redrivenAt ? time(r.redrivenAt) : t('common.no')}</td>
                  {admin && (
                    <td>
                      {!r.redrivenAt && (
                        <button type="button" className="small" onClick={() => void redrive(r.messageId)}>
                          {t('health.redrive')}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
