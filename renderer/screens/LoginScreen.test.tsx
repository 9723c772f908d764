// @vitest-environment happy-dom
import '@testing-library/jest-dom/vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, it, vi } from 'vitest';
import { fakeApi, TILL } from '../testing/fake-api';
import { LoginScreen } from './LoginScreen';

afterEach(cleanup);

it('signs in by PIN from the pad or the keyboard, and says why a PIN is refused beside it', async () => {
  const f = fakeApi({
    'session:login': ({ pin }) =>
      pin === '1234'
        ? { ok: true, value: { token: 't', staff: { id: 's', code: 'C01', name: 'Rahim', role: 'cashier' } } }
        : {
            ok: false,
            error: { code: 'wrong-pin', field: 'pin', reason: 'That PIN does not match anyone at this branch.' },
          },
  });
  const onSignedIn = vi.fn();
  render(<LoginScreen api={f.api} info={TILL} onSignedIn={onSignedIn} />);
  const pin = screen.getByLabelText('Your PIN', { selector: 'input' });
  expect(pin).toHaveFocus();
  for (const d of ['5', '5', '5', '5']) await userEvent.click(screen.getByRole('button', { name: d }));
  expect(pin).toHaveValue('5555');
  await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  expect(await screen.findByRole('alert')).toHaveTextContent('That PIN does not match anyone at this branch.');
  expect(pin).toHaveAccessibleDescription('That PIN does not match anyone at this branch.');
  expect(pin).toHaveValue('');
  await userEvent.type(pin, '1234{Enter}');
  await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(expect.objectContaining({ token: 't' })));
});
