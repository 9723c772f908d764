import { z } from 'zod';
import { fail, ok, type Result } from '../result';
import {
  epochMs,
  nonNegativePoisha,
  paymentMethod,
  positiveMilli,
  problemFromIssues,
  receiptNo,
  sequence,
  shortText,
  uuid,
  uuidV7,
  vatRate,
} from './common';
import { BD_MOBILE_PATTERN } from '../phone';
import { compilePredicate, type Predicate } from './predicate';

/**
 * The facts a till emits, one per outbox row. They are immutable: a void or a
 * refund is a new fact about an earlier sale, never an edit of it. Each kind
 * carries its own schema version `v`, so that kinds can evolve one at a time.
 */

export const saleLineV1 = z.object({
  lineNo: z.int().min(1),
  productId: uuid,
  barcode: shortText(64).nullable(),
  nameEn: shortText(200),
  nameBn: shortText(200),
  unit: z.enum(['piece', 'kg']),
  quantity: positiveMilli,
  unitPrice: nonNegativePoisha,
  vatRate,
  vatMode: z.enum(['inclusive', 'exclusive']),
  gross: nonNegativePoisha,
  lineDiscount: nonNegativePoisha,
  cartDiscountShare: nonNegativePoisha,
  net: nonNegativePoisha,
  vat: nonNegativePoisha,
  discountApprovedBy: uuid.nullable(),
});

export const paymentV1 = z.object({
  method: paymentMethod,
  amount: nonNegativePoisha.min(1, 'must be more than zero'),
  reference: shortText(40).nullable(),
});

export const saleCompletedV1 = z.object({
  saleId: uuidV7,
  receiptNo,
  shiftId: uuidV7,
  cashierId: uuid,
  startedAt: epochMs,
  completedAt: epochMs,
  lines: z.array(saleLineV1).min(1, 'a sale has at least one line').max(500),
  subtotal: nonNegativePoisha,
  cartDiscount: nonNegativePoisha,
  cartDiscountApprovedBy: uuid.nullable(),
  discountTotal: nonNegativePoisha,
  vatTotal: nonNegativePoisha,
  total: nonNegativePoisha,
  payments: z.array(paymentV1).max(20),
  cashReceived: nonNegativePoisha,
  change: nonNegativePoisha,
});

/** The customer a sale was rung up for, by mobile number in its one normal form (shared/phone.ts). */
export const saleCustomer = z.object({
  phone: z.string().regex(BD_MOBILE_PATTERN, 'must be a Bangladeshi mobile number written +8801XXXXXXXXX'),
  name: shortText(100).nullable(),
});

/**
 * Version 2 adds the customer, whether the till was offline when it took the
 * sale (card and mobile money then went unchecked, within the branch's
 * caps), and the manager who let a tender over a cap through. A version 1
 * sale reads as having no customer, taken online, with no such approval.
 */
export const saleCompletedV2 = saleCompletedV1.extend({
  customer: saleCustomer.nullable(),
  offline: z.boolean(),
  tenderApprovedBy: uuid.nullable(),
});

export const saleVoidedV1 = z.object({
  voidId: uuidV7,
  saleId: uuidV7,
  receiptNo,
  shiftId: uuidV7,
  cashierId: uuid,
  managerId: uuid,
  reason: shortText(200),
  voidedAt: epochMs,
});

export const refundLineV1 = z.object({
  lineNo: z.int().min(1),
  productId: uuid,
  quantity: positiveMilli,
  amount: nonNegativePoisha,
  vat: nonNegativePoisha,
});

export const saleRefundedV1 = z.object({
  refundId: uuidV7,
  saleId: uuidV7,
  receiptNo,
  shiftId: uuidV7,
  cashierId: uuid,
  managerId: uuid,
  method: paymentMethod,
  reference: shortText(40).nullable(),
  lines: z.array(refundLineV1).min(1).max(500),
  total: nonNegativePoisha,
  vatTotal: nonNegativePoisha,
  reason: shortText(200),
  refundedAt: epochMs,
});

export const shiftOpenedV1 = z.object({
  shiftId: uuidV7,
  cashierId: uuid,
  openingFloat: nonNegativePoisha,
  openedAt: epochMs,
});

export const zReportV1 = z.object({
  salesCount: z.int().min(0),
  subtotal: nonNegativePoisha,
  discountTotal: nonNegativePoisha,
  vatTotal: nonNegativePoisha,
  netSales: nonNegativePoisha,
  salesByMethod: z.record(paymentMethod, nonNegativePoisha),
  voidsCount: z.int().min(0),
  voidsTotal: nonNegativePoisha,
  refundsCount: z.int().min(0),
  refundsTotal: nonNegativePoisha,
  refundsByMethod: z.record(paymentMethod, nonNegativePoisha),
  openingFloat: nonNegativePoisha,
  cashIn: nonNegativePoisha,
  cashOut: nonNegativePoisha,
  expectedCash: z.int(),
  countedCash: nonNegativePoisha,
  difference: z.int(),
});

export const shiftClosedV1 = z.object({
  shiftId: uuidV7,
  cashierId: uuid,
  closedBy: uuid,
  openedAt: epochMs,
  closedAt: epochMs,
  denominations: z.record(z.string().regex(/^\d+$/, 'must be a note value in taka'), z.int().min(0)),
  z: zReportV1,
});

/** Why a till went offline, or how it came back: its network, or a manager's switch. */
export const offlineCause = z.enum(['network', 'manual']);

/**
 * The till stopped reaching head office (its API or the queue did not answer
 * in the branch's network timeout), or a manager switched it to Work
 * offline. Recorded on the till when it happens and sent with the sales, so
 * it reaches head office once the line is back, exactly once like them.
 */
export const tillWentOfflineV1 = z.object({
  periodId: uuidV7,
  cause: offlineCause,
  startedAt: epochMs,
  /** The manager who switched; null when the network dropped. */
  by: uuid.nullable(),
  /** What failed, or why the manager switched. */
  detail: shortText(200),
});

/** The end of an offline period: a health check passed, or staff turned Work offline off. */
export const tillCameOnlineV1 = z.object({
  periodId: uuidV7,
  cause: offlineCause,
  endedAt: epochMs,
  /** Who turned Work offline off; null when the network came back. */
  by: uuid.nullable(),
});

/** Every event kind, with the versions this build understands. */
export const EVENT_SCHEMAS = {
  'sale.completed': { 1: saleCompletedV1, 2: saleCompletedV2 },
  'sale.voided': { 1: saleVoidedV1 },
  'sale.refunded': { 1: saleRefundedV1 },
  'shift.opened': { 1: shiftOpenedV1 },
  'shift.closed': { 1: shiftClosedV1 },
  'till.offline': { 1: tillWentOfflineV1 },
  'till.online': { 1: tillCameOnlineV1 },
} as const;

export type EventType = keyof typeof EVENT_SCHEMAS;
export const EVENT_TYPES = Object.keys(EVENT_SCHEMAS) as EventType[];

/** The version of each kind this build writes. */
export const CURRENT_VERSION: { readonly [T in EventType]: number } = {
  'sale.completed': 2,
  'sale.voided': 1,
  'sale.refunded': 1,
  'shift.opened': 1,
  'shift.closed': 1,
  'till.offline': 1,
  'till.online': 1,
};

/** A sale as this build writes it. */
export type SaleCompleted = z.infer<typeof saleCompletedV2>;
export type SaleCustomer = z.infer<typeof saleCustomer>;
/** A sale as a reader may get it: a version 1 sale lacks what version 2 added. */
export type SaleCompletedAnyVersion = z.infer<typeof saleCompletedV1> &
  Partial<Pick<SaleCompleted, 'customer' | 'offline' | 'tenderApprovedBy'>>;
export type SaleLineWire = z.infer<typeof saleLineV1>;
export type SaleVoided = z.infer<typeof saleVoidedV1>;
export type SaleRefunded = z.infer<typeof saleRefundedV1>;
export type ShiftOpened = z.infer<typeof shiftOpenedV1>;
export type ShiftClosed = z.infer<typeof shiftClosedV1>;
export type ZReport = z.infer<typeof zReportV1>;
export type OfflineCause = z.infer<typeof offlineCause>;
export type TillWentOffline = z.infer<typeof tillWentOfflineV1>;
export type TillCameOnline = z.infer<typeof tillCameOnlineV1>;

interface EventBase {
  /** The till's gap-free outbox sequence. */
  readonly seq: number;
  /** UUIDv7 of the event itself; the central side ingests by it. */
  readonly id: string;
  readonly v: number;
  /** Device time when the event was recorded. Reported on, never trusted for order. */
  readonly at: number;
}

export type TillEvent =
  | (EventBase & { readonly type: 'sale.completed'; readonly payload: SaleCompletedAnyVersion })
  | (EventBase & { readonly type: 'sale.voided'; readonly payload: SaleVoided })
  | (EventBase & { readonly type: 'sale.refunded'; readonly payload: SaleRefunded })
  | (EventBase & { readonly type: 'shift.opened'; readonly payload: ShiftOpened })
  | (EventBase & { readonly type: 'shift.closed'; readonly payload: ShiftClosed })
  | (EventBase & { readonly type: 'till.offline'; readonly payload: TillWentOffline })
  | (EventBase & { readonly type: 'till.online'; readonly payload: TillCameOnline });

export type EventPayload<T extends EventType> = Extract<TillEvent, { type: T }>['payload'];

const eventHeader = z.object({
  seq: sequence,
  id: uuidV7,
  type: z.string(),
  v: z.int('must be a whole number'),
  at: epochMs,
  payload: z.unknown(),
});

function isEventType(value: string): value is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_SCHEMAS, value);
}

/**
 * Parses one event. The kind and version are checked before the payload, so
 * that an event from a newer till says "unsupported version" rather than
 * listing fields this build does not know.
 */
export function parseEvent(raw: unknown, field = 'event'): Result<TillEvent> {
  const header = eventHeader.safeParse(raw);
  if (!header.success) return { ok: false, error: problemFromIssues(header.error.issues, field) };
  const { type, v } = header.data;
  if (!isEventType(type)) {
    return fail(
      'unknown-event-type',
      `${field}.type`,
      `unknown event type "${type}"; this build knows ${EVENT_TYPES.join(', ')}`,
    );
  }
  const versions: Record<number, z.ZodType | undefined> = EVENT_SCHEMAS[type];
  const schema = versions[v];
  if (!schema) {
    return fail(
      'unsupported-version',
      `${field}.v`,
      `version ${v} of "${type}" is not supported; this build reads version ${Object.keys(versions).join(', ')}`,
    );
  }
  const payload = schema.safeParse(header.data.payload);
  if (!payload.success) return { ok: false, error: problemFromIssues(payload.error.issues, `${field}.payload`) };
  return ok({ ...header.data, type, v, payload: payload.data } as TillEvent);
}

const headerAccepts = compilePredicate(eventHeader);
const payloadAccepts = Object.fromEntries(
  Object.entries(EVENT_SCHEMAS).map(([type, versions]) => [
    type,
    Object.fromEntries(Object.entries(versions).map(([v, schema]) => [v, compilePredicate(schema)])),
  ]),
) as Record<EventType, Record<number, Predicate | undefined>>;

/**
 * Whether parseEvent would accept `raw`, answered in a quarter of the time
 * without copying it (see compilePredicate). It never says yes where
 * parseEvent says no; a no means only "not shown valid", so call parseEvent
 * then for the verdict and the reason.
 */
export function acceptsEvent(raw: unknown): boolean {
  if (!headerAccepts(raw)) return false;
  const { type, v, payload } = raw as { type: string; v: number; payload: unknown };
  if (!isEventType(type)) return false;
  const accepts = payloadAccepts[type][v];
  return accepts !== undefined && accepts(payload);
}
