import type { StaffView, SyncStatusView, TillInfo } from '../../shared/pos-api';
import type { Problem } from '../../shared/result';
import { type Texts, useTexts } from '../i18n/lang-context';

export interface HeaderProps {
  readonly info: TillInfo;
  readonly staff: StaffView | null;
  readonly sync: SyncStatusView | null;
  readonly syncProblem: Problem | null;
  onSyncNow(): void;
  onWorkOffline(offline: boolean): void;
  onShowStatus(): void;
  onToggleLang(): void;
  onSignOut(): void;
}

export function connection(
  sync: SyncStatusView | null,
): 'online' | 'offline' | 'unknown' | 'working-offline' | 'syncing' {
  if (!sync) return 'unknown';
  if (sync.workOffline || sync.offline?.cause === 'manual') return 'working-offline';
  // While offline the timer keeps retrying; the cashier must go on seeing Offline, not a hopeful "Syncing…".
  if (sync.online === false || sync.offline) return 'offline';
  if (sync.running) return 'syncing';
  if (sync.online === null) return 'unknown';
  return sync.online ? 'online' : 'offline';
}

/** The connection in words, as the header's chip says it. */
export function connectionText(t: Texts['t'], sync: SyncStatusView | null): string {
  return {
    online: t('header.online'),
    // Said plainly when the till went offline by itself: nobody needs to do anything.
    offline: sync?.offline?.cause === 'network' ? t('header.offlineAuto') : t('header.offline'),
    unknown: t('header.unknown'),
    'working-offline': t('header.workingOffline'),
    syncing: t('header.syncing'),
  }[connection(sync)];
}

/** Always on screen: where this till is, who is at it, and how far its sales got. */
export function Header({ info, staff, sync, syncProblem, ...on }: HeaderProps) {
  const { t, time, problem, quantity } = useTexts();
  const state = connection(sync);
  // Today's time alone; the date too when the last sync was on another day.
  const shortTime = (ms: number) => {
    const [date, clock] = time(ms).split(', ');
    return date === time(Date.now()).split(', ')[0] ? clock : `${date}, ${clock}`;
  };
  const stateText = connectionText(t, sync);
  return (
    <header className="header" role="banner">
      <div className="brand">{t('app.name')}</div>
      <dl className="facts">
        <div>
          <dt>{t('header.branch')}</dt>
          <dd>{info.branch}</dd>
        </div>
        <div>
          <dt>{t('header.till')}</dt>
          <dd>{info.till}</dd>
        </div>
        {staff && (
          <div>
            <dt>{t('header.cashier')}</dt>
            <dd>{staff.name}</dd>
          </div>
        )}
        {staff && (
          <div>
            <dt>{t('header.pending')}</dt>
            <dd data-testid="pending-sales">{sync ? quantity(sync.pendingSales * 1000, 'piece') : '–'}</dd>
          </div>
        )}
        {staff && (
          <div>
            <dt>{t('header.lastSync')}</dt>
            <dd>{sync?.lastSuccessAt ? shortTime(sync.lastSuccessAt) : t('header.never')}</dd>
          </div>
        )}
      </dl>
      <div className="header-actions">
        {staff && (
          <button
            type="button"
            className="connection-button"
            aria-label={`${t('header.statusLabel')}: ${stateText}`}
            onClick={on.onShowStatus}
          >
            <span className={`connection ${state}`} role="status" aria-live="polite" title={sync?.lastError?.message}>
              <span className="dot" aria-hidden="true" />
              {stateText}
            </span>
          </button>
        )}
        {staff && (
          <button type="button" onClick={on.onSyncNow} disabled={sync?.running || sync?.workOffline}>
            {t('header.syncNow')} <kbd>F7</kbd>
          </button>
        )}
        {staff && (
          <label className="switch">
            <input
              type="checkbox"
              role="switch"
              checked={sync?.workOffline ?? false}
              aria-checked={sync?.workOffline ?? false}
              onChange={(e) => on.onWorkOffline(e.target.checked)}
            />
            {t('header.workOffline')}
          </label>
        )}
        <button
          type="button"
          onClick={on.onToggleLang}
          aria-label={t('lang.toggleLabel')}
          lang={t('lang.toggle') === 'English' ? 'en' : 'bn'}
        >
          {t('lang.toggle')} <kbd>F1</kbd>
        </button>
        {staff && (
          <button type="button" onClick={on.onSignOut}>
            {t('header.signOut')}
          </button>
        )}
      </div>
      {syncProblem && (
        <p className="header-problem" role="alert">
          {problem(syncProblem)}
        </p>
      )}
    </header>
  );
}
