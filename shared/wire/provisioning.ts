import { z } from 'zod';
import type { Result } from '../result';
import { branchCode, problemFromIssues, tillNumber } from './common';

/**
 * The file head office issues once per till and the till installs from:
 * who it is, its own signing key, and where and with what token to pull.
 * The queue credential is not in it: every pull hands out a fresh one.
 */
export const PROVISIONING_TYPE = 'haat-provisioning';

export const provisioningBundleSchema = z.object({
  type: z.literal(PROVISIONING_TYPE),
  v: z.literal(1),
  branch: branchCode,
  till: tillNumber,
  /** Names the key in every queue message the till signs. */
  keyId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  /** Ed25519 private key, PKCS#8 DER in base64. Head office keeps only the public half. */
  signingKey: z.string().min(40).max(200),
  apiUrl: z.url(),
  pullToken: z.string().regex(/^[A-Za-z0-9_-]{20,200}$/),
  issuedAt: z.int().min(0),
});

export type ProvisioningBundle = z.infer<typeof provisioningBundleSchema>;

export function parseProvisioningBundle(raw: unknown): Result<ProvisioningBundle> {
  const parsed = provisioningBundleSchema.safeParse(raw);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, error: problemFromIssues(parsed.error.issues) };
}
