import { assert } from './assert';
import { type BranchCode, isBranchCode, isTillNumber } from './ids';

/**
 * The receipt number people read and say over the phone: branch code, till
 * number and the till's own sale sequence, e.g. `DHK01-2-000123`. Unique across
 * the chain without asking a server, because each till owns its sequence.
 */
export type ReceiptNo = string & { readonly __brand: 'ReceiptNo' };

export interface ReceiptParts {
  readonly branch: BranchCode;
  readonly till: number;
  readonly seq: number;
}

const RECEIPT_PATTERN = /^([A-Z][A-Z0-9]{1,7})-(\d{1,2})-(\d{6,})$/;

export function formatReceiptNo(parts: ReceiptParts): ReceiptNo {
  assert(isBranchCode(parts.branch), `bad branch code ${parts.branch}`);
  assert(isTillNumber(parts.till), `bad till number ${parts.till}`);
  assert(Number.isSafeInteger(parts.seq) && parts.seq >= 1, `bad receipt sequence ${parts.seq}`);
  return `${parts.branch}-${parts.till}-${String(parts.seq).padStart(6, '0')}` as ReceiptNo;
}

/** Accepts what a cashier types, in any case and with spaces around it. */
export function parseReceiptNo(text: string): ReceiptParts | null {
  const m = RECEIPT_PATTERN.exec(text.trim().toUpperCase());
  if (!m) return null;
  const till = Number(m[2]);
  const seq = Number(m[3]);
  const branch = m[1] ?? '';
  if (!isBranchCode(branch) || !isTillNumber(till) || !Number.isSafeInteger(seq) || seq < 1) return null;
  if (m[3]!.length > 6 && m[3]!.startsWith('0')) return null;
  return { branch, till, seq };
}

export function normalizeReceiptNo(text: string): ReceiptNo | null {
  const parts = parseReceiptNo(text);
  return parts ? formatReceiptNo(parts) : null;
}
