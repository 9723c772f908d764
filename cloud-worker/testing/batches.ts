import { randomUUID } from 'node:crypto';
import { createIdFactory } from '../../shared/ids';
import { SALES_BATCH_TYPE, type SalesBatch } from '../../shared/wire/batch';
import type { PaymentMethod } from '../../shared/tender';
import type { SaleCustomer, TillEvent } from '../../shared/wire/events';

/**
 * Valid till events and batches for tests and benchmarks, shaped as a real
 * till would send them: gap-free sequences, UUIDv7 ids, sums that add up.
 */
const ids = createIdFactory(() => Date.now());

export const PRODUCT_IDS = Array.from({ length: 50 }, () => randomUUID());
export const CASHIER_ID = randomUUID();
export const MANAGER_ID = randomUUID();

export interface TillEventSource {
  readonly branch: string;
  readonly till: number;
  readonly shiftId: string;
  /** The next sequence to hand out. */
  nextSeq: number;
  receipt: number;
  /** Sale ids made so far, for voids and refunds. */
  readonly saleIds: string[];
}

export function tillSource(branch: string, till: number): TillEventSource {
  return { branch, till, shiftId: ids.shift(), nextSeq: 1, receipt: 0, saleIds: [] };
}

/** What a version 2 sale adds; a sale made with it is sent as version 2. */
export interface SaleV2Facts {
  readonly customer?: SaleCustomer | null;
  readonly offline?: boolean;
  readonly tenderApprovedBy?: string | null;
  /** Card or mobile money for the whole total, instead of cash. */
  readonly method?: PaymentMethod;
  readonly completedAt?: number;
}

export function saleEvent(src: TillEventSource, lineCount = 3, v2?: SaleV2Facts): TillEvent {
  const seq = src.nextSeq++;
  const saleId = ids.sale();
  src.saleIds.push(saleId);
  src.receipt += 1;
  const at = v2?.completedAt ?? Date.now();
  const lines = Array.from({ length: lineCount }, (_, i) => ({
    lineNo: i + 1,
    productId: PRODUCT_IDS[(seq + i) % PRODUCT_IDS.length]!,
    barcode: `8941000${String(i).padStart(6, '0')}`,
    nameEn: `Product ${i}`,
    nameBn: `পণ্য ${i}`,
    unit: 'piece' as const,
    quantity: 1000 * (i + 1),
    unitPrice: 5000,
    vatRate: 750,
    vatMode: 'inclusive' as const,
    gross: 5000 * (i + 1),
    lineDiscount: 0,
    cartDiscountShare: 0,
    net: 5000 * (i + 1),
    vat: 349 * (i + 1),
    discountApprovedBy: null,
  }));
  const total = lines.reduce((s, l) => s + l.net, 0);
  const vatTotal = lines.reduce((s, l) => s + l.vat, 0);
  const method = v2?.method ?? 'cash';
  const extra = v2
    ? { customer: v2.customer ?? null, offline: v2.offline ?? false, tenderApprovedBy: v2.tenderApprovedBy ?? null }
    : {};
  return {
    seq,
    id: ids.event(),
    v: v2 ? 2 : 1,
    at,
    type: 'sale.completed',
    payload: {
      saleId,
      receiptNo: `${src.branch}-${src.till}-${String(src.receipt).padStart(6, '0')}`,
      shiftId: src.shiftId,
      cashierId: CASHIER_ID,
      startedAt: at - 30_000,
      completedAt: at,
      lines,
      subtotal: total,
      cartDiscount: 0,
      cartDiscountApprovedBy: null,
      discountTotal: 0,
      vatTotal,
      total,
      payments: [{ method, amount: total, reference: method === 'cash' ? null : 'TRX12345678' }],
      cashReceived: method === 'cash' ? total : 0,
      change: 0,
      ...extra,
    },
  };
}

export function voidEvent(src: TillEventSource, saleId: string, receiptNo: string): TillEvent {
  return {
    seq: src.nextSeq++,
    id: ids.event(),
    v: 1,
    at: Date.now(),
    type: 'sale.voided',
    payload: {
      voidId: ids.void(),
      saleId,
      receiptNo,
      shiftId: src.shiftId,
      cashierId: CASHIER_ID,
      managerId: MANAGER_ID,
      reason: 'customer changed mind',
      voidedAt: Date.now(),
    },
  };
}

export function refundEvent(src: TillEventSource, saleId: string, receiptNo: string, productId: string): TillEvent {
  return {
    seq: src.nextSeq++,
    id: ids.event(),
    v: 1,
    at: Date.now(),
    type: 'sale.refunded',
    payload: {
      refundId: ids.refund(),
      saleId,
      receiptNo,
      shiftId: src.shiftId,
      cashierId: CASHIER_ID,
      managerId: MANAGER_ID,
      method: 'cash',
      reference: null,
      lines: [{ lineNo: 1, productId, quantity: 1000, amount: 5000, vat: 349 }],
      total: 5000,
      vatTotal: 349,
      reason: 'damaged',
      refundedAt: Date.now(),
    },
  };
}

export function shiftOpenedEvent(src: TillEventSource): TillEvent {
  return {
    seq: src.nextSeq++,
    id: ids.event(),
    v: 1,
    at: Date.now(),
    type: 'shift.opened',
    payload: { shiftId: src.shiftId, cashierId: CASHIER_ID, openingFloat: 100_000, openedAt: Date.now() },
  };
}

/** A till's offline period as its two events: `till.offline`, then `till.online` unless `open`. */
export function offlinePeriodEvents(
  src: TillEventSource,
  period: {
    cause: 'network' | 'manual';
    startedAt: number;
    endedAt?: number;
    by?: string | null;
    endedBy?: string | null;
    detail?: string;
  },
): TillEvent[] {
  const periodId = ids.offlinePeriod();
  const start: TillEvent = {
    seq: src.nextSeq++,
    id: ids.event(),
    v: 1,
    at: period.startedAt,
    type: 'till.offline',
    payload: {
      periodId,
      cause: period.cause,
      startedAt: period.startedAt,
      by: period.by ?? null,
      detail: period.detail ?? 'No answer from head office: timed out',
    },
  };
  if (period.endedAt === undefined) return [start];
  const end: TillEvent = {
    seq: src.nextSeq++,
    id: ids.event(),
    v: 1,
    at: period.endedAt,
    type: 'till.online',
    payload: { periodId, cause: period.cause, endedAt: period.endedAt, by: period.endedBy ?? null },
  };
  return [start, end];
}

export function batchOf(src: Pick<TillEventSource, 'branch' | 'till'>, events: readonly TillEvent[]): SalesBatch {
  const first = events[0];
  const last = events[events.length - 1];
  if (!first || !last) throw new Error('a batch needs events');
  return {
    type: SALES_BATCH_TYPE,
    v: 1,
    id: ids.batch(),
    branch: src.branch,
    till: src.till,
    firstSeq: first.seq,
    lastSeq: last.seq,
    deviceTime: Date.now(),
    events,
  };
}

/** `count` sales from the source, as consecutive batches of `perBatch`. */
export function saleBatches(src: TillEventSource, count: number, perBatch: number): SalesBatch[] {
  const batches: SalesBatch[] = [];
  for (let done = 0; done < count; done += perBatch) {
    const n = Math.min(perBatch, count - done);
    batches.push(
      batchOf(
        src,
        Array.from({ length: n }, () => saleEvent(src)),
      ),
    );
  }
  return batches;
}
