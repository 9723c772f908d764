// @vitest-environment happy-dom
import '@testing-library/jest-dom/vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncStatusView } from '../../shared/pos-api';
import { LangProvider, makeTexts } from '../i18n/lang-context';
import { NO_SYNC, TILL } from '../testing/fake-api';
import { connection, connectionText, Header } from './Header';

afterEach(cleanup);

const synced: SyncStatusView = { ...NO_SYNC, configured: true, online: true, lastSuccessAt: 0 };

describe('the connection in the header', () => {
  it('stays Offline while the timer retries, and says Syncing only when the till was online', () => {
    expect(connection({ ...synced, online: false, running: true })).toBe('offline');
    expect(connection({ ...synced, running: true })).toBe('syncing');
    expect(connection({ ...synced, online: null, running: true })).toBe('syncing');
    expect(connection({ ...synced, online: false, workOffline: true })).toBe('working-offline');
    expect(connection({ ...NO_SYNC })).toBe('unknown');
  });

  it('says Offline when the till went offline by itself, even before the timer reports, and names why', () => {
    const network = { cause: 'network' as const, since: 1, by: null, detail: 'No answer from head office: timed out' };
    const manual = { cause: 'manual' as const, since: 1, by: 'Nasrin Akter', detail: 'line down' };
    expect(connection({ ...synced, online: null, offline: network })).toBe('offline');
    expect(connection({ ...synced, online: null, running: true, offline: network })).toBe('offline');
    expect(connection({ ...synced, offline: manual })).toBe('working-offline');
    const t = makeTexts('en').t;
    expect(connectionText(t, { ...synced, offline: network })).toBe('Offline: no network');
    expect(connectionText(t, { ...synced, online: false })).toBe('Offline');
  });

  it('shows Offline and the sales waiting while a retry runs', () => {
    const noop = () => undefined;
    render(
      <LangProvider lang="en">
        <Header
          info={TILL}
          staff={{ id: 's1', code: 'C01', name: 'Rahim Uddin', role: 'cashier' }}
          sync={{ ...synced, online: false, running: true, pendingSales: 2 }}
          syncProblem={null}
          onSyncNow={noop}
          onWorkOffline={noop}
          onShowStatus={noop}
          onToggleLang={noop}
          onSignOut={noop}
        />
      </LangProvider>,
    );
    expect(screen.getByRole('status')).toHaveTextContent('Offline');
    expect(screen.getByRole('status')).toHaveClass('offline');
    expect(screen.getByTestId('pending-sales')).toHaveTextContent('2');
  });
});
