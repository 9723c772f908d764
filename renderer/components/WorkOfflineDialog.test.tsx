// @vitest-environment happy-dom
import '@testing-library/jest-dom/vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, it, vi } from 'vitest';
import type { SyncStatusView } from '../../shared/pos-api';
import { LangProvider } from '../i18n/lang-context';
import { fakeApi, NO_SYNC } from '../testing/fake-api';
import { TillStatusDialog } from './TillStatusDialog';
import { WorkOfflineDialog } from './WorkOfflineDialog';

afterEach(cleanup);

it('switches to Work offline only with a manager’s PIN, and says so beside the PIN when it is wrong', async () => {
  const offline: SyncStatusView = {
    ...NO_SYNC,
    workOffline: true,
    offline: { cause: 'manual', since: 1, by: 'Nasrin Akter', detail: 'card line down' },
  };
  const f = fakeApi({
    'sync:setOffline': (input) =>
      input.managerPin === '9876'
        ? { ok: true, value: offline }
        : { ok: false, error: { code: 'wrong-pin', field: 'managerPin', reason: "That is not a manager's PIN." } },
  });
  const onDone = vi.fn();
  render(<WorkOfflineDialog api={f.api} onDone={onDone} onClose={() => undefined} />);
  const pin = screen.getByLabelText("Manager's PIN");
  await userEvent.type(pin, '1234{Enter}');
  await waitFor(() => expect(pin).toHaveAccessibleDescription("That is not a manager's PIN."));
  expect(onDone).not.toHaveBeenCalled();
  await userEvent.clear(pin);
  await userEvent.type(pin, '9876');
  await userEvent.type(screen.getByLabelText('Reason (optional)'), 'card line down{Enter}');
  await waitFor(() => expect(onDone).toHaveBeenCalledWith(offline));
  expect(f.callsTo('sync:setOffline')).toEqual([
    { offline: true, managerPin: '1234' },
    { offline: true, managerPin: '9876', reason: 'card line down' },
  ]);
});

it('shows why the till is offline, its database’s size, what waits, and how old the oldest unsynced sale is', () => {
  const now = 1_763_900_000_000;
  render(
    <LangProvider lang="en">
      <TillStatusDialog
        sync={{
          ...NO_SYNC,
          configured: true,
          online: false,
          offline: { cause: 'network', since: now - 42 * 60_000, by: null, detail: 'No answer: timed out' },
          db: { bytes: 5 * 1024 * 1024, rowsWaiting: 31, oldestUnsyncedSaleAt: now - 3 * 3_600_000 },
        }}
        stateText="Offline: no network"
        now={now}
        onClose={() => undefined}
      />
    </LangProvider>,
  );
  expect(screen.getByTestId('status-connection')).toHaveTextContent('Offline: no network');
  expect(screen.getByTestId('status-offline-why')).toHaveTextContent('went offline by itself');
  expect(screen.getByTestId('status-db-size')).toHaveTextContent('5.0 MB');
  expect(screen.getByTestId('status-rows-waiting')).toHaveTextContent('31');
  expect(screen.getByTestId('status-oldest')).toHaveTextContent('3 h ago');
});
