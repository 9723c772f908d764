import { z } from 'zod';
import { branchSettingsSchema } from '../settings';
import type { Result } from '../result';
import {
  branchCode,
  epochMs,
  nonNegativePoisha,
  problemFromIssues,
  sequence,
  shortText,
  tillNumber,
  uuid,
  vatRate,
} from './common';

/**
 * What a till gets from `GET /v1/pull?cursor=…`: the master-data changes for
 * its branch since the cursor (whole rows, in the shapes the till stores),
 * the cursor to send next time, and for each till of the branch what the
 * central database holds of its sequence, so that a till can mark ✔✔ and
 * send again what is missing. The cursor is opaque to the till: it stores it
 * and sends it back, nothing more.
 */
export const PULL_RESPONSE_TYPE = 'pull-response';

/** A product as the till stores it (main/store/catalog.ts `Product`). */
export const pulledProduct = z.object({
  id: uuid,
  sku: shortText(64).min(1),
  nameEn: shortText(200).min(1),
  nameBn: shortText(200),
  category: shortText(100),
  unit: z.enum(['piece', 'kg']),
  price: nonNegativePoisha,
  vatRate,
  vatMode: z.enum(['inclusive', 'exclusive']),
  active: z.boolean(),
  barcodes: z.array(shortText(64).min(1)).max(50),
});

/** A cashier or manager as the till stores it (main/store/staff.ts), the PIN already hashed. */
export const pulledStaff = z.object({
  id: uuid,
  code: shortText(20).min(1),
  name: shortText(100).min(1),
  role: z.enum(['cashier', 'manager']),
  active: z.boolean(),
  pinHash: z
    .string()
    .regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, 'must be scrypt$N$r$p$salt$hash'),
});

export const seqRange = z.object({ first: sequence, last: sequence });

export const tillAck = z.object({
  till: tillNumber,
  /** Every sequence up to here is in the central database (✔✔). */
  acked: z.int().min(0),
  highest: z.int().min(0),
  /** Above `acked`: what head office has not got. Send these again. */
  missing: z.array(seqRange),
});

export const PULL_CURSOR_PATTERN = /^\d{1,15}(?::[a-z]{1,16}:[0-9A-Za-z-]{1,64})?$/;
export const pullCursor = z.string().regex(PULL_CURSOR_PATTERN, 'must be a cursor from an earlier pull, or 0');

export const pullResponseSchema = z.object({
  type: z.literal(PULL_RESPONSE_TYPE),
  v: z.literal(1),
  branch: branchCode,
  till: tillNumber,
  cursor: pullCursor,
  /** More changes wait: pull again with `cursor` at once. */
  more: z.boolean(),
  products: z.array(pulledProduct),
  staff: z.array(pulledStaff),
  /** The branch's settings when they changed since the cursor. */
  settings: branchSettingsSchema.nullable(),
  tills: z.array(tillAck),
  /** A fresh add-only SAS URL for the branches' queue: the only queue credential a till holds. */
  queue: z.object({ url: z.url() }),
  serverTime: epochMs,
});

export type PulledProduct = z.infer<typeof pulledProduct>;
export type PulledStaff = z.infer<typeof pulledStaff>;
export type TillAck = z.infer<typeof tillAck>;
export type PullResponse = z.infer<typeof pullResponseSchema>;

export function parsePullResponse(raw: unknown): Result<PullResponse> {
  const parsed = pullResponseSchema.safeParse(raw);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, error: problemFromIssues(parsed.error.issues) };
}
