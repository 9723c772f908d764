import { fail, ok, type Result } from '../../shared/result';
import type { TillDeps } from '../deps';
import { findStaffByPin, type Staff } from '../store/staff';
import { PIN_PATTERN } from './pin';

/** A cashier or manager signs in at the till with their PIN. */
export function login(deps: Pick<TillDeps, 'db'>, input: { pin: string }): Result<Staff> {
  if (typeof input.pin !== 'string' || !PIN_PATTERN.test(input.pin)) {
    return fail('invalid-pin', 'pin', 'A PIN is 4 to 8 digits.');
  }
  const staff = findStaffByPin(deps.db, input.pin);
  return staff ? ok(staff) : fail('wrong-pin', 'pin', 'That PIN does not match anyone at this branch.');
}

/**
 * A manager's approval for something a cashier may not do alone. The PIN is
 * checked against managers only; a cashier's PIN never approves.
 */
export function approveByManager(
  deps: Pick<TillDeps, 'db'>,
  pin: string | undefined,
  field = 'managerPin',
): Result<Staff> {
  if (pin === undefined || pin === '') {
    return fail('manager-approval-required', field, "This needs a manager's PIN.");
  }
  if (!PIN_PATTERN.test(pin)) return fail('invalid-pin', field, 'A PIN is 4 to 8 digits.');
  const manager = findStaffByPin(deps.db, pin, 'manager');
  return manager ? ok(manager) : fail('wrong-pin', field, "That is not a manager's PIN.");
}
