import { z } from 'zod';
import { problemFromIssues } from './wire/common';
import { fail, ok, type Result } from './result';

/**
 * Settings head office sets per branch; every till of the branch follows
 * them. Missing keys take the defaults, so an older head office or a fresh
 * till always has a complete set.
 */
export const branchSettingsSchema = z.object({
  /** Largest discount, in basis points of the amount it applies to, a cashier may give without a manager's PIN. */
  maxDiscountWithoutManagerBps: z.int().min(0).max(10_000).default(500),
  /** Wrong PINs in a row at a till before PIN entry is locked for `pinLockoutMinutes`. */
  maxPinAttempts: z.int().min(3).max(20).default(5),
  pinLockoutMinutes: z
    .int()
    .min(1)
    .max(24 * 60)
    .default(5),
});

export type BranchSettings = z.infer<typeof branchSettingsSchema>;

export const DEFAULT_BRANCH_SETTINGS: BranchSettings = branchSettingsSchema.parse({});

export function parseBranchSettings(raw: unknown): Result<BranchSettings> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail('invalid-field', 'settings', 'settings must be an object');
  }
  const parsed = branchSettingsSchema.safeParse(raw);
  return parsed.success ? ok(parsed.data) : { ok: false, error: problemFromIssues(parsed.error.issues, 'settings') };
}
