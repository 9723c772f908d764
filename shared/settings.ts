import { z } from 'zod';
import { problemFromIssues } from './wire/common';
import { fail, ok, type Result } from './result';

/**
 * Settings head office sets per branch; every till of the branch follows
 * them. Missing keys take the defaults, so an older head office or a fresh
 * till always has a complete set.
 */
const offlineCap = z
  .int('must be whole taka')
  .min(0, 'must not be negative')
  .max(100_000_000, 'must be at most ৳10,00,00,000')
  .nullable()
  .default(null);

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
  /** When the till syncs on its own: a cron expression, read in the till's local time. */
  syncSchedule: z
    .string()
    .regex(/^(\S+\s+){4,5}\S+$/, 'must be a cron expression of 5 or 6 fields')
    .default('*/5 * * * *'),
  /** Events the queue accepted (✔) that the central database has not confirmed (✔✔) after this long are sent again. */
  resendAfterMinutes: z
    .int()
    .min(5)
    .max(7 * 24 * 60)
    .default(60),
  /** Acknowledged sales stay on the till this long, for refunds and local reports, before they are pruned. */
  retentionDays: z.int().min(1).max(3650).default(45),
  /**
   * Caps on card and mobile-money (bKash, Nagad) tenders a till takes while
   * it is offline, when nobody can check them against the bank or the wallet:
   * per sale, and per till per business day, in whole taka. Above a cap the
   * till asks for a manager's PIN or cash. null: no cap.
   */
  offlineCardPerSaleTaka: offlineCap,
  offlineCardPerDayTaka: offlineCap,
  offlineMobilePerSaleTaka: offlineCap,
  offlineMobilePerDayTaka: offlineCap,
  /**
   * How long a till waits for head office's API or the queue to answer before
   * it counts the network as down and works offline on its own. A queue
   * message (up to 60 KB) must fit in it on the shop's line.
   */
  networkTimeoutSeconds: z.int().min(2).max(120).default(10),
  /** Head office shows a till amber when it has not synced for longer than this. */
  syncLateAfterMinutes: z
    .int()
    .min(5)
    .max(7 * 24 * 60)
    .default(120),
  /** Head office shows a till amber when its database file grows past this many megabytes (MiB). */
  maxTillDbMegabytes: z.int().min(16).max(100_000).default(512),
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
