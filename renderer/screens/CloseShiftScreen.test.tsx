// @vitest-environment happy-dom
import '@testing-library/jest-dom/vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, it, vi } from 'vitest';
import type { ShiftCloseView } from '../../shared/pos-api';
import type { ZReport } from '../../shared/wire/events';
import { fakeApi, TILL } from '../testing/fake-api';
import { CloseShiftScreen } from './CloseShiftScreen';

afterEach(cleanup);

it('counts the drawer note by note against the expected cash, then closes with the counts', async () => {
  const closed = { shiftId: 's', z: {} } as ShiftCloseView;
  const f = fakeApi({
    'shift:summary': () => ({ ok: true, value: { expectedCash: 2_190_00 } as ZReport }),
    'shift:close': () => ({ ok: true, value: closed }),
  });
  const onClosed = vi.fn();
  render(
    <CloseShiftScreen api={f.api} denominations={TILL.denominations} onClosed={onClosed} onBack={() => undefined} />,
  );
  await waitFor(() => expect(screen.getByTestId('expected-cash')).toHaveTextContent('৳2,190.00'));
  expect(screen.getByLabelText('৳1,000')).toHaveFocus();
  await userEvent.keyboard('2{Enter}');
  expect(screen.getByLabelText('৳500')).toHaveFocus();
  await userEvent.type(screen.getByLabelText('৳100'), '1');
  await userEvent.type(screen.getByLabelText('৳50'), '1');
  await userEvent.type(screen.getByLabelText('৳20'), '২');
  expect(screen.getByTestId('counted-cash')).toHaveTextContent('৳2,190.00');
  expect(screen.getByText('Difference').nextSibling).toHaveTextContent('৳0.00');
  await userEvent.click(screen.getByRole('button', { name: 'Close shift' }));
  await waitFor(() => expect(onClosed).toHaveBeenCalledWith(closed));
  expect(f.callsTo('shift:close')).toEqual([
    { denominations: { '1000': 2, '500': 0, '200': 0, '100': 1, '50': 1, '20': 2, '10': 0, '5': 0, '2': 0, '1': 0 } },
  ]);
});
