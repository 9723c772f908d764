import { z } from 'zod';
import { BRANCH_CODE_PATTERN, MAX_TILL_NUMBER } from '../ids';
import { PAYMENT_METHODS } from '../tender';
import { UUID_PATTERN, UUID_V7_PATTERN } from '../uuid';
import type { Problem } from '../result';

export const uuid = z.string().regex(UUID_PATTERN, 'must be a lowercase UUID');
export const uuidV7 = z.string().regex(UUID_V7_PATTERN, 'must be a lowercase UUIDv7 made at the till');
export const poisha = z.int('must be a whole number of poisha');
export const nonNegativePoisha = poisha.min(0, 'must not be negative');
export const positiveMilli = z.int('must be whole thousandths').min(1, 'must be more than zero');
export const vatRate = z
  .int('must be whole basis points')
  .min(0)
  .max(10_000, 'must be at most 10000 basis points (100 %)');
export const epochMs = z.int('must be Unix milliseconds').min(0, 'must not be negative');
export const branchCode = z
  .string()
  .regex(BRANCH_CODE_PATTERN, 'must be 2–8 capital letters or digits, starting with a letter');
export const tillNumber = z.int('must be a whole number').min(1).max(MAX_TILL_NUMBER);
export const sequence = z.int('must be a whole number').min(1, 'sequences start at 1');
export const receiptNo = z.string().regex(/^[A-Z][A-Z0-9]{1,7}-\d{1,2}-\d{6,}$/, 'must look like DHK01-2-000123');
export const paymentMethod = z.enum(PAYMENT_METHODS);
export const shortText = (max: number) => z.string().max(max, `must be at most ${max} characters`);

/** Turns zod issues into the first one, as a Problem naming its field by path. */
export function problemFromIssues(issues: readonly z.core.$ZodIssue[], prefix = ''): Problem {
  const first = issues[0];
  if (!first) return { code: 'invalid', field: prefix || '(root)', reason: 'invalid input' };
  const path = first.path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
  const field = prefix ? (path ? `${prefix}${path.startsWith('[') ? '' : '.'}${path}` : prefix) : path || '(root)';
  return { code: 'invalid-field', field, reason: first.message };
}
