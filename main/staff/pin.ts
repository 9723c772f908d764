import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * PINs are stored only as scrypt hashes in a self-describing string
 * `scrypt$N$r$p$salt$hash` (base64), so that the cost can be raised later
 * without breaking stored hashes. Head office and tills share the format.
 */
const DEFAULT_COST = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

export const PIN_PATTERN = /^\d{4,8}$/;

export function hashPin(pin: string, cost = DEFAULT_COST): string {
  if (!PIN_PATTERN.test(pin)) throw new Error('a PIN is 4 to 8 digits');
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, KEY_LENGTH, { ...cost, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export function verifyPin(pin: string, stored: string): boolean {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const expected = Buffer.from(parts[5] ?? '', 'base64');
  if (!N || !r || !p || expected.length === 0) return false;
  const actual = scryptSync(pin, salt, expected.length, { N, r, p, maxmem: 64 * 1024 * 1024 });
  return timingSafeEqual(actual, expected);
}
