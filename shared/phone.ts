import { fail, ok, type Result } from './result';

/**
 * Bangladeshi mobile numbers. People write them as 01712345678,
 * 8801712345678 or +880 1712-345678; operators own the prefixes 013–019. One
 * normal form is stored and sent everywhere, +8801XXXXXXXXX, so the same
 * customer rung up at two branches, written two ways, is one customer.
 */
export const BD_MOBILE_PATTERN = /^\+8801[3-9]\d{8}$/;

export type BdMobile = string & { readonly __brand: 'BdMobile' };

export function isBdMobile(value: string): value is BdMobile {
  return BD_MOBILE_PATTERN.test(value);
}

/** Reads a number as typed (spaces, dashes, dots and brackets allowed) into its normal form. */
export function normalizeBdMobile(input: string, field = 'phone'): Result<BdMobile> {
  const compact = input.trim().replace(/[\s\-.()]/g, '');
  if (compact === '') return fail('invalid-phone', field, 'Enter the customer’s mobile number.');
  const match = /^(?:\+?880|0)(1\d{9})$/.exec(compact);
  if (!match) {
    return fail(
      'invalid-phone',
      field,
      'A mobile number is 11 digits starting 01 (01712345678), or the same after +880.',
    );
  }
  const normal = `+880${match[1]!}`;
  if (!isBdMobile(normal)) {
    return fail('invalid-phone', field, 'A Bangladeshi mobile number starts 013 to 019.');
  }
  return ok(normal);
}

/** The way people read a number back: 01712-345678. */
export function formatBdMobile(phone: BdMobile | string): string {
  const local = phone.startsWith('+880') ? `0${phone.slice(4)}` : phone;
  return local.length === 11 ? `${local.slice(0, 5)}-${local.slice(5)}` : local;
}

/** A number as a paper receipt shows it, which anyone may pick up: 01712-***678. */
export function maskBdMobile(phone: BdMobile | string): string {
  const shown = formatBdMobile(phone);
  return shown.length === 12 ? `${shown.slice(0, 6)}***${shown.slice(9)}` : shown;
}
