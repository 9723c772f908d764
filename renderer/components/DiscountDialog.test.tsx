// @vitest-environment happy-dom
import '@testing-library/jest-dom/vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, it, vi } from 'vitest';
import { cartOf, fakeApi } from '../testing/fake-api';
import { DiscountDialog, parsePercent } from './DiscountDialog';

afterEach(cleanup);

it('reads percentages to the basis point', () => {
  expect(parsePercent('10')).toBe(1000);
  expect(parsePercent('12.5')).toBe(1250);
  expect(parsePercent('১৫%')).toBe(1500);
  expect(parsePercent('101')).toBeNull();
  expect(parsePercent('ten')).toBeNull();
});

it('asks for the manager’s PIN when the till says the discount needs it, then sends it', async () => {
  const cart = cartOf([{ nameEn: 'Tea', price: 26_000 }]);
  const f = fakeApi({
    'sale:cartDiscount': (input) =>
      'managerPin' in input && input.managerPin === '9876'
        ? { ok: true, value: cart }
        : 'managerPin' in input
          ? { ok: false, error: { code: 'wrong-pin', field: 'managerPin', reason: "That is not a manager's PIN." } }
          : {
              ok: false,
              error: { code: 'manager-approval-required', field: 'managerPin', reason: "This needs a manager's PIN." },
            },
  });
  const onDone = vi.fn();
  render(<DiscountDialog api={f.api} onDone={onDone} onClose={() => undefined} />);
  expect(screen.getByRole('dialog', { name: 'Discount on the whole cart' })).toBeInTheDocument();
  await userEvent.click(screen.getByLabelText('Percent (%)'));
  await userEvent.type(screen.getByLabelText('Discount'), '10{Enter}');
  const pin = await screen.findByLabelText("Manager's PIN");
  expect(pin).toHaveAccessibleDescription("This needs a manager's PIN.");
  await userEvent.type(pin, '1111{Enter}');
  await waitFor(() => expect(pin).toHaveAccessibleDescription("That is not a manager's PIN."));
  await userEvent.clear(pin);
  await userEvent.type(pin, '9876{Enter}');
  await waitFor(() => expect(onDone).toHaveBeenCalledWith(cart));
  expect(f.callsTo('sale:cartDiscount')).toEqual([
    { percentBps: 1000 },
    { percentBps: 1000, managerPin: '1111' },
    { percentBps: 1000, managerPin: '9876' },
  ]);
});
