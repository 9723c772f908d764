// @vitest-environment happy-dom
import '@testing-library/jest-dom/vitest';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StaffView } from '../shared/pos-api';
import { App } from './App';
import { cartOf, fakeApi, NO_SYNC, TILL } from './testing/fake-api';

afterEach(cleanup);

const RAHIM: StaffView = { id: 's1', code: 'C01', name: 'Rahim Uddin', role: 'cashier' };
const SHIFT = { id: 'sh', cashierId: 's1', cashierName: 'Rahim Uddin', openingFloat: 0, openedAt: 0 };

function till(options: { signedIn?: boolean; shift?: boolean } = {}) {
  let signedIn = options.signedIn ?? false;
  return fakeApi({
    'till:info': () => ({ ok: true, value: { ...TILL, shift: options.shift ? (SHIFT as never) : null } }),
    'session:current': () => ({ ok: true, value: signedIn ? RAHIM : null }),
    'session:login': () => {
      signedIn = true;
      return { ok: true, value: { token: 't', staff: RAHIM } };
    },
    'sync:status': () =>
      signedIn
        ? { ok: true, value: { ...NO_SYNC, pendingSales: 3 } }
        : { ok: false, error: { code: 'not-signed-in', field: 'session', reason: 'Sign in.' } },
    'sales:recent': () => ({
      ok: true,
      value: [
        { receiptNo: 'DHK01-2-000002', completedAt: 0, total: 5_500, voided: false, refundedTotal: 0, tick: 'acked' },
        { receiptNo: 'DHK01-2-000001', completedAt: 0, total: 19_000, voided: false, refundedTotal: 0, tick: 'queued' },
      ] as never,
    }),
    'sale:current': () => ({
      ok: true,
      value: cartOf([{ nameEn: 'Lux Soap 100g', nameBn: 'লাক্স সাবান', price: 5_500 }]),
    }),
    'sale:scan': () => {
      signedIn = false;
      return { ok: false, error: { code: 'not-signed-in', field: 'session', reason: 'Sign in with your PIN first.' } };
    },
    'sync:now': () => ({
      ok: false,
      error: {
        code: 'sync-not-configured',
        field: 'sync',
        reason: 'This till is not connected to head office yet; sales wait safely on the till.',
      },
    }),
  });
}

describe('the till app', () => {
  it('starts at the PIN, then asks for the opening float', async () => {
    const f = till();
    render(<App api={f.api} />);
    await screen.findByRole('heading', { name: 'Sign in · DHK01-2' });
    await userEvent.type(screen.getByLabelText('Your PIN', { selector: 'input' }), '1234{Enter}');
    await screen.findByRole('heading', { name: 'Open a shift' });
  });

  it('always shows branch, till, cashier, sync state, sales waiting and the ticks of recent sales', async () => {
    const f = till({ signedIn: true, shift: true });
    render(<App api={f.api} />);
    await screen.findByText('Rahim Uddin');
    const banner = screen.getByRole('banner');
    expect(banner).toHaveTextContent('DHK01');
    expect(banner).toHaveTextContent('Sync not set up');
    await waitFor(() => expect(screen.getByTestId('pending-sales')).toHaveTextContent('3'));
    expect(screen.getByRole('img', { name: 'In head office (✔✔)' })).toHaveTextContent('✔✔');
    expect(screen.getByRole('img', { name: 'Safe in the cloud (✔)' })).toHaveTextContent('✔');
    expect(
      screen.getByText(
        (_, el) =>
          el?.className === 'tick-legend' &&
          el.textContent === '• On this till only · Safe in the cloud (✔) · In head office (✔✔)',
      ),
    ).toBeVisible();
    expect(screen.getByRole('switch', { name: 'Work offline' })).not.toBeChecked();
    await userEvent.click(screen.getByRole('button', { name: /Sync now/ }));
    expect(await screen.findByText(/not connected to head office yet/)).toBeInTheDocument();
  });

  it('switches every label to Bangla with F1, digits and all', async () => {
    const onLangChange = vi.fn();
    const f = till({ signedIn: true, shift: true });
    render(<App api={f.api} onLangChange={onLangChange} />);
    await screen.findByText('Lux Soap 100g');
    await userEvent.keyboard('{F1}');
    expect(await screen.findByText('সর্বমোট')).toBeInTheDocument();
    expect(screen.getByTestId('cart-total')).toHaveTextContent('৳৫৫.০০');
    expect(screen.getByText('লাক্স সাবান')).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('bn');
    expect(onLangChange).toHaveBeenCalledWith('bn');
  });

  it('goes back to the PIN when the till no longer knows the session', async () => {
    const f = till({ signedIn: true, shift: true });
    render(<App api={f.api} pollMs={60_000} />);
    const scan = await screen.findByRole('combobox');
    await act(() => userEvent.type(scan, '8941100500026{Enter}'));
    await screen.findByRole('heading', { name: 'Sign in · DHK01-2' });
    expect(f.callsTo('sale:current')).toHaveLength(1);
  });
});
