// @vitest-environment happy-dom
import '@testing-library/jest-dom/vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CartView, ReceiptView } from '../../shared/pos-api';
import { cartOf, fakeApi } from '../testing/fake-api';
import { quickCashAmounts, TenderScreen } from './TenderScreen';

afterEach(cleanup);

function Harness(props: {
  api: ReturnType<typeof fakeApi>['api'];
  start: CartView;
  onCompleted(r: ReceiptView): void;
}) {
  const [cart, setCart] = useState(props.start);
  return (
    <TenderScreen
      api={props.api}
      cart={cart}
      onCart={setCart}
      onCompleted={props.onCompleted}
      onBack={() => undefined}
    />
  );
}

describe('taking payment', () => {
  it('offers the exact amount and the notes a customer hands over', () => {
    expect(quickCashAmounts(54_562)).toEqual([54_562, 60_000, 100_000]);
    expect(quickCashAmounts(50_000)).toEqual([50_000, 60_000, 100_000]);
    expect(quickCashAmounts(2_000)).toEqual([2_000, 10_000, 50_000, 100_000]);
  });

  it('splits card and cash: the card needs its approval code, the cash completes the sale', async () => {
    const receipt = { receiptNo: 'DHK01-2-000001' } as ReceiptView;
    const f = fakeApi({
      'sale:tender': (p) =>
        p.method === 'card' && !/^[A-Z0-9]{4,12}$/.test(p.reference ?? '')
          ? {
              ok: false,
              error: {
                code: 'invalid-reference',
                field: 'reference',
                reason: 'Enter the approval code from the card terminal (4–12 letters or digits).',
              },
            }
          : {
              ok: true,
              value: cartOf([{ nameEn: 'Tea', price: 50_000 }], p.method === 'card' ? p.amount : 50_000 + 10_000),
            },
      'sale:complete': () => ({ ok: true, value: receipt }),
    });
    const onCompleted = vi.fn();
    render(<Harness api={f.api} start={cartOf([{ nameEn: 'Tea', price: 50_000 }])} onCompleted={onCompleted} />);
    expect(screen.getByLabelText('Amount (৳)')).toHaveValue('500.00');
    await userEvent.click(screen.getByLabelText(/Card/));
    const amount = screen.getByLabelText('Amount (৳)');
    await userEvent.clear(amount);
    await userEvent.type(amount, '200');
    await userEvent.type(screen.getByLabelText('Card approval code'), 'x{Enter}');
    expect(screen.getByLabelText('Card approval code')).toHaveAccessibleDescription(
      'Enter the approval code from the card terminal (4–12 letters or digits).',
    );
    await userEvent.clear(screen.getByLabelText('Card approval code'));
    await userEvent.type(screen.getByLabelText('Card approval code'), 'appr01{Enter}');
    await waitFor(() => expect(screen.getByTestId('due')).toHaveTextContent('৳300.00'));
    expect(screen.getByRole('radio', { name: /Cash/ })).toBeChecked();
    await userEvent.click(screen.getByRole('button', { name: '৳1,000.00' }));
    await waitFor(() => expect(onCompleted).toHaveBeenCalledWith(receipt));
    expect(f.callsTo('sale:tender')).toEqual([
      { method: 'card', amount: 20_000, reference: 'X' },
      { method: 'card', amount: 20_000, reference: 'APPR01' },
      { method: 'cash', amount: 100_000, reference: null },
    ]);
    // Named by its id, so a retry after a lost reply gets this sale's receipt, not a second sale.
    expect(f.callsTo('sale:complete')).toEqual([{ saleId: 'sale-1' }]);
  });
});
