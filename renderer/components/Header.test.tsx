// @vitest-environment happy-dom
import '@testing-library/jest-dom/vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncStatusView } from '../../shared/pos-api';
import { LangProvider } from '../i18n/lang-context';
import { NO_SYNC, TILL } from '../testing/fake-api';
import { connection, Header } from './Header';

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
