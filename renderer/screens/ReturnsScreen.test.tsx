// @vitest-environment happy-dom
import '@testing-library/jest-dom/vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, it } from 'vitest';
import type { ReceiptView } from '../../shared/pos-api';
import { fakeApi } from '../testing/fake-api';
import { ReturnsScreen } from './ReturnsScreen';

afterEach(cleanup);

const line = (lineNo: number, nameEn: string, quantity: number, net: number) => ({
  lineNo,
  nameEn,
  nameBn: nameEn,
  unit: 'piece',
  quantity,
  unitPrice: net,
  gross: net,
  lineDiscount: 0,
  net,
  vat: 0,
  refundedQuantity: 0,
});
const sale = {
  receiptNo: 'DHK01-2-000007',
  branch: 'DHK01',
  till: 2,
  cashierName: 'Rahim',
  completedAt: 0,
  lines: [line(1, 'Oil', 1000, 19_000), line(2, 'Soap', 2000, 11_000)],
  subtotal: 30_000,
  discountTotal: 0,
  vatTotal: 0,
  total: 30_000,
  payments: [{ method: 'bkash', amount: 30_000, reference: 'BK12345678' }],
  cashReceived: 0,
  change: 0,
  voided: false,
  refundedTotal: 0,
} as unknown as ReceiptView;

it('finds the sale by receipt number and shows an over-refund beside the line it is about', async () => {
  const f = fakeApi({
    'sale:lookup': () => ({ ok: true, value: sale }),
    'sale:refund': (input) => {
      if (input.managerPin !== '9876') {
        return { ok: false, error: { code: 'wrong-pin', field: 'managerPin', reason: "That is not a manager's PIN." } };
      }
      return {
        ok: false,
        error: { code: 'over-refund', field: 'lines[0].quantity', reason: 'Only 2 of Soap can still be refunded.' },
      };
    },
  });
  render(<ReturnsScreen api={f.api} onBack={() => undefined} onChanged={() => undefined} />);
  await userEvent.type(screen.getByLabelText('Receipt number'), 'dhk01-2-000007{Enter}');
  await screen.findByText('DHK01-2-000007');
  // The sale was paid by bKash, so the refund can go back there too.
  expect(screen.getByRole('radio', { name: 'bKash' })).toBeInTheDocument();
  expect(screen.queryByRole('radio', { name: 'Card' })).not.toBeInTheDocument();
  await userEvent.type(screen.getByLabelText('Refund qty: Soap'), '3');
  await userEvent.type(screen.getByLabelText('Reason'), 'damaged');
  await userEvent.type(screen.getByLabelText("Manager's PIN"), '1234');
  await userEvent.click(screen.getByRole('button', { name: 'Refund' }));
  await waitFor(() =>
    expect(screen.getByLabelText("Manager's PIN")).toHaveAccessibleDescription("That is not a manager's PIN."),
  );
  await userEvent.clear(screen.getByLabelText("Manager's PIN"));
  await userEvent.type(screen.getByLabelText("Manager's PIN"), '9876');
  await userEvent.click(screen.getByRole('button', { name: 'Refund' }));
  await waitFor(() =>
    expect(screen.getByLabelText('Refund qty: Soap')).toHaveAccessibleDescription(
      'Only 2 of Soap can still be refunded.',
    ),
  );
  expect(screen.getByLabelText('Refund qty: Oil')).not.toHaveAttribute('aria-invalid');
  expect(f.callsTo('sale:refund').at(-1)).toEqual({
    receiptNo: 'DHK01-2-000007',
    lines: [{ lineNo: 2, quantity: 3000 }],
    method: 'cash',
    reference: null,
    managerPin: '9876',
    reason: 'damaged',
  });
});
