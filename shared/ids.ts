import { createUuidV7, type RandomBytes, UUID_PATTERN, UUID_V7_PATTERN } from './uuid';

/**
 * Branded ids: a `SaleId` cannot be passed where a `ShiftId` is expected.
 * Ids made at the till are UUIDv7; ids made at head office (products, staff)
 * are UUIDs of any version.
 */
export type SaleId = string & { readonly __brand: 'SaleId' };
export type ShiftId = string & { readonly __brand: 'ShiftId' };
export type RefundId = string & { readonly __brand: 'RefundId' };
export type VoidId = string & { readonly __brand: 'VoidId' };
export type EventId = string & { readonly __brand: 'EventId' };
export type BatchId = string & { readonly __brand: 'BatchId' };
export type ProductId = string & { readonly __brand: 'ProductId' };
export type StaffId = string & { readonly __brand: 'StaffId' };
export type OfflinePeriodId = string & { readonly __brand: 'OfflinePeriodId' };

/** A till is named by its branch code and its number within the branch. */
export interface TillId {
  readonly branch: BranchCode;
  readonly till: number;
}
export type BranchCode = string & { readonly __brand: 'BranchCode' };

export const BRANCH_CODE_PATTERN = /^[A-Z][A-Z0-9]{1,7}$/;
export const MAX_TILL_NUMBER = 99;

export function isBranchCode(value: string): value is BranchCode {
  return BRANCH_CODE_PATTERN.test(value);
}

export function isTillNumber(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= MAX_TILL_NUMBER;
}

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

export function isUuidV7(value: string): boolean {
  return UUID_V7_PATTERN.test(value);
}

/** One factory per id made at the till, all drawing on one monotonic UUIDv7 source. */
export interface IdFactory {
  sale(): SaleId;
  shift(): ShiftId;
  refund(): RefundId;
  void(): VoidId;
  event(): EventId;
  batch(): BatchId;
  offlinePeriod(): OfflinePeriodId;
}

export function createIdFactory(now: () => number, random?: RandomBytes): IdFactory {
  const next = createUuidV7(now, random);
  return {
    sale: () => next() as SaleId,
    shift: () => next() as ShiftId,
    refund: () => next() as RefundId,
    void: () => next() as VoidId,
    event: () => next() as EventId,
    batch: () => next() as BatchId,
    offlinePeriod: () => next() as OfflinePeriodId,
  };
}
