import { formatDhakaTime } from '../../shared/format';
import { fail, ok, type Result } from '../../shared/result';
import type { TillDeps } from '../deps';
import { type PinScope, pinLockedUntil, recordPinFailure, recordPinSuccess } from '../store/pin-attempts';
import { findStaffByPin, type Role, type Staff } from '../store/staff';
import { getBranchSettings } from '../store/till';
import { PIN_PATTERN } from './pin';

/**
 * Checks a PIN against the active staff (or only managers), counting wrong
 * PINs in a row at this till: after the branch's limit, PIN entry of that
 * kind is locked for a few minutes, so a PIN cannot be guessed at the counter.
 */
function checkPin(
  deps: Pick<TillDeps, 'db' | 'now'>,
  scope: PinScope,
  pin: string,
  field: string,
  role: Role | undefined,
  wrong: string,
): Result<Staff> {
  const now = deps.now();
  const locked = pinLockedUntil(deps.db, scope, now);
  if (locked !== null) {
    return fail('pin-locked', field, `Too many wrong PINs. Try again after ${formatDhakaTime(locked)}.`);
  }
  const staff = findStaffByPin(deps.db, pin, role);
  if (staff) {
    recordPinSuccess(deps.db, scope);
    return ok(staff);
  }
  const settings = getBranchSettings(deps.db);
  const lockedNow = recordPinFailure(deps.db, scope, now, settings.maxPinAttempts, settings.pinLockoutMinutes * 60_000);
  if (lockedNow !== null) {
    return fail('pin-locked', field, `Too many wrong PINs. Try again after ${formatDhakaTime(lockedNow)}.`);
  }
  return fail('wrong-pin', field, wrong);
}

/** A cashier or manager signs in at the till with their PIN. */
export function login(deps: Pick<TillDeps, 'db' | 'now'>, input: { pin: string }): Result<Staff> {
  if (typeof input.pin !== 'string' || !PIN_PATTERN.test(input.pin)) {
    return fail('invalid-pin', 'pin', 'A PIN is 4 to 8 digits.');
  }
  return checkPin(deps, 'login', input.pin, 'pin', undefined, 'That PIN does not match anyone at this branch.');
}

/**
 * A manager's approval for something a cashier may not do alone. The PIN is
 * checked against managers only; a cashier's PIN never approves.
 */
export function approveByManager(
  deps: Pick<TillDeps, 'db' | 'now'>,
  pin: string | undefined,
  field = 'managerPin',
): Result<Staff> {
  if (pin === undefined || pin === '') {
    return fail('manager-approval-required', field, "This needs a manager's PIN.");
  }
  if (typeof pin !== 'string' || !PIN_PATTERN.test(pin)) return fail('invalid-pin', field, 'A PIN is 4 to 8 digits.');
  return checkPin(deps, 'approval', pin, field, 'manager', "That is not a manager's PIN.");
}
