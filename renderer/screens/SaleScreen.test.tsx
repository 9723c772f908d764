// @vitest-environment happy-dom
import '@testing-library/jest-dom/vitest';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CartView } from '../../shared/pos-api';
import { cartOf, fakeApi } from '../testing/fake-api';
import { SaleScreen } from './SaleScreen';

afterEach(cleanup);

const TWO_LINES = cartOf([
  { nameEn: 'Lux Soap 100g', price: 5_500 },
  { nameEn: 'Miniket Rice', nameBn: 'মিনিকেট চাল', price: 7_800, unit: 'kg', quantity: 1000 },
]);

function Harness({
  api,
  start,
  onPay = () => undefined,
}: {
  api: ReturnType<typeof fakeApi>['api'];
  start: CartView;
  onPay?: () => void;
}) {
  const [cart, setCart] = useState(start);
  return (
    <SaleScreen
      api={api}
      cart={cart}
      recent={[]}
      onCart={setCart}
      onPay={onPay}
      onReturns={() => undefined}
      onCloseShift={() => undefined}
    />
  );
}

const rows = () =>
  within(screen.getByRole('table', { name: 'Cart' }))
    .getAllByRole('row')
    .slice(1);

describe('the sale screen', () => {
  it('shows the cart with running totals and starts on the last line', () => {
    const f = fakeApi({});
    render(<Harness api={f.api} start={TWO_LINES} />);
    expect(rows().map((r) => r.textContent)).toEqual([
      expect.stringContaining('Lux Soap 100g'),
      expect.stringContaining('1.000 kg'),
    ]);
    expect(rows()[1]).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByTestId('cart-total')).toHaveTextContent('৳133.00');
    expect(screen.getByRole('combobox')).toHaveFocus();
  });

  it('weighs loose goods with F3, in kilograms to the gram', async () => {
    const f = fakeApi({
      'sale:setQuantity': ({ quantity }) => ({
        ok: true,
        value: cartOf([
          { nameEn: 'Lux Soap 100g', price: 5_500 },
          { nameEn: 'Miniket Rice', price: 7_800, unit: 'kg', quantity },
        ]),
      }),
    });
    render(<Harness api={f.api} start={TWO_LINES} />);
    await userEvent.keyboard('{F3}');
    const qty = screen.getByLabelText('Weight in kg (e.g. 1.250)');
    await userEvent.clear(qty);
    await userEvent.type(qty, '2.5{Enter}');
    await waitFor(() => expect(screen.getByTestId('cart-total')).toHaveTextContent('৳250.00'));
    expect(f.callsTo('sale:setQuantity')).toEqual([{ lineNo: 2, quantity: 2500 }]);
    await waitFor(() => expect(screen.getByRole('combobox')).toHaveFocus());
  });

  it('moves through the lines with the arrows and removes one with Delete, but not while a name is being typed', async () => {
    const f = fakeApi({
      'sale:removeLine': () => ({ ok: true, value: cartOf([{ nameEn: 'Miniket Rice', price: 7_800, unit: 'kg' }]) }),
      'sale:search': () => ({ ok: true, value: [] }),
    });
    render(<Harness api={f.api} start={TWO_LINES} />);
    await userEvent.keyboard('{ArrowUp}');
    expect(rows()[0]).toHaveAttribute('aria-selected', 'true');
    await userEvent.type(screen.getByRole('combobox'), 'lu');
    await userEvent.keyboard('{Delete}');
    expect(f.callsTo('sale:removeLine')).toEqual([]);
    await userEvent.clear(screen.getByRole('combobox'));
    await userEvent.keyboard('{Delete}');
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(f.callsTo('sale:removeLine')).toEqual([{ lineNo: 1 }]);
  });

  it('pays with F9 only when there is something to pay for', async () => {
    const onPay = vi.fn();
    const { unmount } = render(<Harness api={fakeApi({}).api} start={cartOf([])} onPay={onPay} />);
    await userEvent.keyboard('{F9}');
    expect(onPay).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: /Pay/ })).toBeDisabled();
    unmount();
    render(<Harness api={fakeApi({}).api} start={TWO_LINES} onPay={onPay} />);
    await userEvent.keyboard('{F9}');
    expect(onPay).toHaveBeenCalledOnce();
  });
});
