import { formatBytes, formatDuration } from '../../shared/format';
import type { SyncStatusView } from '../../shared/pos-api';
import { useTexts } from '../i18n/lang-context';
import { Dialog } from './Dialog';

/**
 * Everything the till knows about its sync and its own database, for the
 * staff member head office asks on the phone: whether and why it is
 * offline, what waits to be sent, and how big the database has grown.
 */
export function TillStatusDialog({
  sync,
  stateText,
  now,
  onClose,
}: {
  sync: SyncStatusView;
  /** The connection as the header says it. */
  stateText: string;
  now: number;
  onClose(): void;
}) {
  const { t, lang, time, quantity, problem } = useTexts();
  const { offline, db } = sync;
  const count = (n: number) => quantity(n * 1000, 'piece');
  return (
    <Dialog title={t('status.title')} onClose={onClose} wide>
      <dl className="status-list">
        <div>
          <dt>{t('status.connection')}</dt>
          <dd data-testid="status-connection">{stateText}</dd>
        </div>
        {offline && (
          <>
            <div>
              <dt>{t('status.offlineSince')}</dt>
              <dd>
                {time(offline.since)} · {formatDuration(now - offline.since, { lang })}
              </dd>
            </div>
            <div>
              <dt>{t('status.offlineWhy')}</dt>
              <dd data-testid="status-offline-why" className="plain">
                {offline.cause === 'manual'
                  ? t('status.offlineManual', { name: offline.by ?? '—' })
                  : t('status.offlineNetwork')}
                <div className="muted small">{offline.detail}</div>
              </dd>
            </div>
          </>
        )}
        <div>
          <dt>{t('status.lastSync')}</dt>
          <dd>{sync.lastSuccessAt ? time(sync.lastSuccessAt) : t('header.never')}</dd>
        </div>
        <div>
          <dt>{t('status.pendingSales')}</dt>
          <dd>{count(sync.pendingSales)}</dd>
        </div>
        <div>
          <dt>{t('status.queued')}</dt>
          <dd>{count(sync.queuedNotAcked)}</dd>
        </div>
        {/* Offline by the network, the last problem is the reason already given above. */}
        {sync.lastError && offline?.cause !== 'network' && (
          <div>
            <dt>{t('status.lastError')}</dt>
            <dd className="small">
              {problem({ code: sync.lastError.kind, reason: sync.lastError.message })} ({time(sync.lastError.at)})
            </dd>
          </div>
        )}
      </dl>
      <h3>{t('status.database')}</h3>
      <dl className="status-list">
        <div>
          <dt>{t('status.dbSize')}</dt>
          <dd data-testid="status-db-size">{formatBytes(db.bytes, { lang })}</dd>
        </div>
        <div>
          <dt>{t('status.rowsWaiting')}</dt>
          <dd data-testid="status-rows-waiting">{count(db.rowsWaiting)}</dd>
        </div>
        <div>
          <dt>{t('status.oldestUnsynced')}</dt>
          <dd data-testid="status-oldest">
            {db.oldestUnsyncedSaleAt === null
              ? t('status.oldestNone')
              : t('status.oldestAge', {
                  age: formatDuration(now - db.oldestUnsyncedSaleAt, { lang }),
                  time: time(db.oldestUnsyncedSaleAt),
                })}
          </dd>
        </div>
      </dl>
      {offline && <p className="dialog-note">{t('status.salesSafe')}</p>}
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={onClose}>
          {t('action.done')} <kbd>Esc</kbd>
        </button>
      </div>
    </Dialog>
  );
}
