// @vitest-environment happy-dom
import '@testing-library/jest-dom/vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { poisha } from '../../shared/money';
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

  it('asks for a manager’s PIN, or cash instead, when card is over the offline limit', async () => {
    const tea = cartOf([{ nameEn: 'Tea', price: 800_000 }]);
    const reason =
      "The till is offline: Card payments are capped at ৳5,000.00 per sale (this makes ৳8,000.00). Take cash, or a manager's PIN.";
    const f = fakeApi({
      'sale:tender': (p) => {
        if (p.method === 'card' && p.managerPin !== '9876') {
          return p.managerPin
            ? { ok: false, error: { code: 'wrong-pin', field: 'managerPin', reason: "That is not a manager's PIN." } }
            : { ok: false, error: { code: 'offline-cap-exceeded', field: 'amount', reason } };
        }
        return {
          ok: true,
          value: { ...tea, paid: poisha(800_000), due: poisha(0), tenderApproved: p.method === 'card' },
        };
      },
      'sale:complete': () => ({ ok: true, value: { receiptNo: 'DHK01-2-000002' } as ReceiptView }),
    });
    const onCompleted = vi.fn();
    render(<Harness api={f.api} start={tea} onCompleted={onCompleted} />);
    await userEvent.click(screen.getByLabelText(/Card/));
    await userEvent.type(screen.getByLabelText('Card approval code'), 'AB1234{Enter}');
    const alert = await screen.findByRole('alert', { name: 'Over the offline limit' });
    expect(alert).toHaveTextContent(reason);
    await userEvent.type(screen.getByLabelText("Manager's PIN"), '1234{Enter}');
    expect(await screen.findByText("That is not a manager's PIN.")).toBeInTheDocument();
    await userEvent.clear(screen.getByLabelText("Manager's PIN"));
    await userEvent.type(screen.getByLabelText("Manager's PIN"), '9876');
    await userEvent.click(screen.getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(onCompleted).toHaveBeenCalled());
    expect(f.callsTo('sale:tender')).toEqual([
      { method: 'card', amount: 800_000, reference: 'AB1234' },
      { method: 'card', amount: 800_000, reference: 'AB1234', managerPin: '1234' },
      { method: 'card', amount: 800_000, reference: 'AB1234', managerPin: '9876' },
    ]);
  });

  it('switches to cash when the cashier takes cash instead of card over the offline limit', async () => {
    const f = fakeApi({
      'sale:tender': () => ({ ok: false, error: { code: 'offline-cap-exceeded', field: 'amount', reason: 'Capped.' } }),
    });
    render(<Harness api={f.api} start={cartOf([{ nameEn: 'Tea', price: 800_000 }])} onCompleted={vi.fn()} />);
    await userEvent.click(screen.getByLabelText(/bKash/));
    await userEvent.type(screen.getByLabelText('Transaction ID'), 'TRX12345678{Enter}');
    await userEvent.click(await screen.findByRole('button', { name: 'Take cash instead' }));
    expect(screen.getByRole('radio', { name: /Cash/ })).toBeChecked();
    expect(screen.queryByRole('alert', { name: 'Over the offline limit' })).not.toBeInTheDocument();
    expect(screen.getByLabelText('Amount (৳)')).toHaveValue('8000.00');
  });

  it('puts a returning customer on the sale by mobile number, and says why a number is refused', async () => {
    const tea = cartOf([{ nameEn: 'Tea', price: 50_000 }]);
    const f = fakeApi({
      'customer:lookup': (p) =>
        p.phone === '01712345678'
          ? {
              ok: true,
              value: {
                phone: '+8801712345678',
                name: 'Rahima',
                visits: 3,
                spent: poisha(150_000),
                lastSaleAt: 1_763_900_000_000,
              },
            }
          : {
              ok: false,
              error: {
                code: 'invalid-phone',
                field: 'phone',
                reason: 'A mobile number is 11 digits starting 01 (01712345678), or the same after +880.',
              },
            },
      'sale:setCustomer': (p) => ({
        ok: true,
        value: { ...tea, customer: p.phone ? { phone: '+8801712345678', name: p.name ?? null } : null },
      }),
    });
    render(<Harness api={f.api} start={tea} onCompleted={vi.fn()} />);
    const phone = screen.getByLabelText('Mobile number (optional)');
    await userEvent.type(phone, '0171234{Enter}');
    expect(phone).toHaveAccessibleDescription(
      'A mobile number is 11 digits starting 01 (01712345678), or the same after +880.',
    );
    expect(f.callsTo('sale:setCustomer')).toEqual([]);
    await userEvent.type(phone, '5678');
    await userEvent.click(screen.getByRole('button', { name: 'Add to sale' }));
    expect(await screen.findByTestId('customer-phone')).toHaveTextContent('01712-345678');
    expect(screen.getByRole('status')).toHaveTextContent('Returning customer: 3 visits, ৳1,500.00 in all');
    expect(f.callsTo('sale:setCustomer')).toEqual([{ phone: '01712345678', name: 'Rahima' }]);
    await userEvent.click(screen.getByRole('button', { name: 'Remove' }));
    expect(await screen.findByLabelText('Mobile number (optional)')).toHaveValue('');
    expect(f.callsTo('sale:setCustomer').at(-1)).toEqual({ phone: null });
  });
});
