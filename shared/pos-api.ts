import { z } from 'zod';
import type { Poisha } from './money';
import type { Milli, Unit } from './quantity';
import type { Problem, Result } from './result';
import type { PaymentMethod } from './tender';
import type { ZReport } from './wire/events';
import { paymentMethod } from './wire/common';
import { CHANNELS, type ChannelName } from './pos-channels';

/**
 * The one contract between the cashier's screens and the till. Every channel
 * is `domain:verb`, with a zod schema for its input (the renderer is
 * untrusted, so main parses every call) and the type of what it answers.
 * Electron IPC and HTTP on localhost are two transports of this same map.
 */

/** A type carried in the map without a value at run time. */
function returns<T>(): T {
  return undefined as T;
}

export interface StaffView {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly role: 'cashier' | 'manager';
}

export interface ShiftView {
  readonly id: string;
  readonly cashierId: string;
  readonly cashierName: string;
  readonly openingFloat: Poisha;
  readonly openedAt: number;
}

export interface TillInfo {
  readonly branch: string;
  readonly till: number;
  readonly shift: ShiftView | null;
  /** Bangladeshi notes and coins, in taka, largest first. */
  readonly denominations: readonly number[];
  /** Largest discount a cashier may give without a manager, in basis points. */
  readonly maxDiscountWithoutManagerBps: number;
}

export interface SessionView {
  /** Sent back on every call by the HTTP transport; IPC keeps it in main. */
  readonly token: string;
  readonly staff: StaffView;
}

export interface ProductView {
  readonly id: string;
  readonly nameEn: string;
  readonly nameBn: string;
  readonly unit: Unit;
  readonly price: Poisha;
  readonly vatRate: number;
  readonly barcode: string | null;
}

export interface CartLineView {
  readonly lineNo: number;
  readonly productId: string;
  readonly barcode: string | null;
  readonly nameEn: string;
  readonly nameBn: string;
  readonly unit: Unit;
  readonly quantity: Milli;
  readonly unitPrice: Poisha;
  readonly vatRate: number;
  readonly gross: Poisha;
  readonly lineDiscount: Poisha;
  readonly net: Poisha;
  readonly vat: Poisha;
}

export interface PaymentView {
  readonly method: PaymentMethod;
  readonly amount: Poisha;
  readonly reference: string | null;
}

/** The sale being rung up, priced by the till. */
export interface CartView {
  readonly saleId: string | null;
  readonly lines: readonly CartLineView[];
  readonly subtotal: Poisha;
  readonly cartDiscount: Poisha;
  readonly discountTotal: Poisha;
  readonly vatTotal: Poisha;
  readonly total: Poisha;
  readonly payments: readonly PaymentView[];
  readonly paid: Poisha;
  /** Still to pay; 0 once paid in full. */
  readonly due: Poisha;
  /** Cash to hand back if the sale were completed now. */
  readonly change: Poisha;
  /** The customer's mobile number (+8801XXXXXXXXX) and name, when given. */
  readonly customer: { readonly phone: string; readonly name: string | null } | null;
  /** A manager let card or mobile money over the offline caps through on this sale. */
  readonly tenderApproved: boolean;
}

/** A returning customer, as this till knows them from its own sales. */
export interface CustomerView {
  readonly phone: string;
  readonly name: string | null;
  readonly visits: number;
  readonly spent: Poisha;
  readonly lastSaleAt: number;
}

export interface ReceiptLineView {
  readonly lineNo: number;
  readonly nameEn: string;
  readonly nameBn: string;
  readonly unit: Unit;
  readonly quantity: Milli;
  readonly unitPrice: Poisha;
  /** Price × quantity, before any discount. */
  readonly gross: Poisha;
  readonly lineDiscount: Poisha;
  /** What the customer paid for the line, after its share of the cart discount. */
  readonly net: Poisha;
  readonly vat: Poisha;
  readonly refundedQuantity: Milli;
}

/** A completed sale as the receipt shows it, and as a refund starts from. */
export interface ReceiptView {
  readonly receiptNo: string;
  readonly branch: string;
  readonly till: number;
  readonly cashierName: string;
  readonly completedAt: number;
  readonly lines: readonly ReceiptLineView[];
  readonly subtotal: Poisha;
  readonly discountTotal: Poisha;
  readonly vatTotal: Poisha;
  readonly total: Poisha;
  readonly payments: readonly PaymentView[];
  readonly cashReceived: Poisha;
  readonly change: Poisha;
  readonly voided: boolean;
  readonly refundedTotal: Poisha;
  readonly customerPhone: string | null;
  /** Taken while the till was offline. */
  readonly offline: boolean;
}

/** ✔ the cloud queue accepted it; ✔✔ the central database has it. */
export type SyncTick = 'local' | 'queued' | 'acked';

export interface RecentSaleView {
  readonly receiptNo: string;
  readonly completedAt: number;
  readonly total: Poisha;
  readonly voided: boolean;
  readonly refundedTotal: Poisha;
  readonly tick: SyncTick;
}

/** Why the till works offline now, and since when. */
export interface OfflineView {
  /** `network`: head office or the queue stopped answering; `manual`: a manager switched to Work offline. */
  readonly cause: 'network' | 'manual';
  readonly since: number;
  /** The manager who switched, by name. */
  readonly by: string | null;
  readonly detail: string;
}

/** The till's own database, as the till and head office see it. */
export interface TillDbView {
  readonly bytes: number;
  /** Facts head office has not confirmed (✔✔) yet. */
  readonly rowsWaiting: number;
  /** When the oldest sale head office has not confirmed was completed; null when none waits. */
  readonly oldestUnsyncedSaleAt: number | null;
}

export interface SyncStatusView {
  /** False until the sync service is wired into this till. */
  readonly configured: boolean;
  /** Set while the till works offline, on its own or by a manager's switch. */
  readonly offline: OfflineView | null;
  readonly db: TillDbView;
  /** null: not known (no sync yet, or none configured). */
  readonly online: boolean | null;
  readonly running: boolean;
  readonly workOffline: boolean;
  readonly lastSuccessAt: number | null;
  readonly lastError: { readonly kind: string; readonly message: string; readonly at: number } | null;
  /** Completed sales the cloud queue has not accepted yet. */
  readonly pendingSales: number;
  /** All facts (sales, voids, refunds, shifts) not yet accepted. */
  readonly pendingEvents: number;
  readonly queuedNotAcked: number;
  readonly nextRunAt: number | null;
}

export interface RefundView {
  readonly receiptNo: string;
  readonly method: PaymentMethod;
  readonly reference: string | null;
  readonly total: Poisha;
  readonly lines: readonly { readonly lineNo: number; readonly quantity: Milli; readonly amount: Poisha }[];
}

export interface VoidView {
  readonly receiptNo: string;
  readonly voidedAt: number;
}

export interface ShiftCloseView {
  readonly shiftId: string;
  readonly openedAt: number;
  readonly closedAt: number;
  readonly denominations: Readonly<Record<string, number>>;
  readonly z: ZReport;
}

interface ChannelSpec {
  readonly input: z.ZodType;
  readonly output: unknown;
  /** Answered without a signed-in session. */
  readonly public: boolean;
}

const empty = z.object({}).strict();
const pin = z.string().max(16);
const poishaInput = z.int().min(0).max(Number.MAX_SAFE_INTEGER);
const quantityInput = z.int().min(1).max(10_000_000);
const managerPin = pin.optional();
const discountInput = z.union([
  z.object({ lineNo: z.int().min(1), amount: poishaInput, managerPin }).strict(),
  z.object({ lineNo: z.int().min(1), percentBps: z.int().min(0).max(10_000), managerPin }).strict(),
]);
const cartDiscountInput = z.union([
  z.object({ amount: poishaInput, managerPin }).strict(),
  z.object({ percentBps: z.int().min(0).max(10_000), managerPin }).strict(),
]);
const receiptNoInput = z.string().trim().min(1, 'Enter a receipt number.').max(40);
const reasonInput = z.string().max(200);

export const POS_API = {
  'till:info': { input: empty, output: returns<TillInfo>(), public: true },
  'session:login': { input: z.object({ pin }).strict(), output: returns<SessionView>(), public: true },
  /** Who is signed in with this session, if anyone: a page reloaded mid-shift carries on. */
  'session:current': { input: empty, output: returns<StaffView | null>(), public: true },
  'session:logout': { input: empty, output: returns<null>(), public: false },
  'shift:open': {
    input: z.object({ openingFloat: poishaInput }).strict(),
    output: returns<ShiftView>(),
    public: false,
  },
  /** Expected cash in the drawer now, before counting. */
  'shift:summary': { input: empty, output: returns<ZReport>(), public: false },
  'shift:close': {
    input: z.object({ denominations: z.record(z.string(), z.int().min(0).max(1_000_000)) }).strict(),
    output: returns<ShiftCloseView>(),
    public: false,
  },
  'sale:current': { input: empty, output: returns<CartView>(), public: false },
  'sale:scan': {
    input: z.object({ barcode: z.string().max(64), quantity: quantityInput.optional() }).strict(),
    output: returns<CartView>(),
    public: false,
  },
  'sale:add': {
    input: z.object({ productId: z.string().max(64), quantity: quantityInput.optional() }).strict(),
    output: returns<CartView>(),
    public: false,
  },
  'sale:search': {
    input: z.object({ query: z.string().max(100), limit: z.int().min(1).max(50).optional() }).strict(),
    output: returns<readonly ProductView[]>(),
    public: false,
  },
  'sale:setQuantity': {
    input: z.object({ lineNo: z.int().min(1), quantity: z.int() }).strict(),
    output: returns<CartView>(),
    public: false,
  },
  'sale:removeLine': {
    input: z.object({ lineNo: z.int().min(1) }).strict(),
    output: returns<CartView>(),
    public: false,
  },
  'sale:lineDiscount': { input: discountInput, output: returns<CartView>(), public: false },
  'sale:cartDiscount': { input: cartDiscountInput, output: returns<CartView>(), public: false },
  'sale:tender': {
    input: z
      .object({
        method: paymentMethod,
        amount: poishaInput,
        reference: z.string().max(40).nullable().optional(),
        /** Lets card or mobile money over the branch's offline caps through. */
        managerPin,
      })
      .strict(),
    output: returns<CartView>(),
    public: false,
  },
  'sale:removePayment': {
    input: z.object({ index: z.int().min(0) }).strict(),
    output: returns<CartView>(),
    public: false,
  },
  /** Puts a customer's mobile number (and name) on the sale being rung up; a null phone takes it off. */
  'sale:setCustomer': {
    input: z.object({ phone: z.string().max(30).nullable(), name: z.string().max(200).nullable().optional() }).strict(),
    output: returns<CartView>(),
    public: false,
  },
  /** A returning customer by mobile number, from this till's own records: it answers offline. null: not seen here. */
  'customer:lookup': {
    input: z.object({ phone: z.string().max(30) }).strict(),
    output: returns<CustomerView | null>(),
    public: false,
  },
  /**
   * Records the sale being rung up, named by its id. Idempotent: a retry after
   * a lost reply gets the receipt of the sale already recorded, never a second sale.
   */
  'sale:complete': {
    input: z.object({ saleId: z.string().min(1).max(64) }).strict(),
    output: returns<ReceiptView>(),
    public: false,
  },
  /** Drops the sale being rung up; nothing of it was recorded. */
  'sale:cancel': { input: empty, output: returns<CartView>(), public: false },
  'sale:lookup': {
    input: z.object({ receiptNo: receiptNoInput }).strict(),
    output: returns<ReceiptView>(),
    public: false,
  },
  'sale:void': {
    input: z.object({ receiptNo: receiptNoInput, managerPin: pin, reason: reasonInput }).strict(),
    output: returns<VoidView>(),
    public: false,
  },
  'sale:refund': {
    input: z
      .object({
        receiptNo: receiptNoInput,
        lines: z.union([
          z.literal('all'),
          z.array(z.object({ lineNo: z.int().min(1), quantity: z.int() }).strict()).max(500),
        ]),
        method: paymentMethod,
        reference: z.string().max(40).nullable().optional(),
        managerPin: pin,
        reason: reasonInput,
      })
      .strict(),
    output: returns<RefundView>(),
    public: false,
  },
  'sales:recent': {
    input: z.object({ limit: z.int().min(1).max(100).optional() }).strict(),
    output: returns<readonly RecentSaleView[]>(),
    public: false,
  },
  'sync:status': { input: empty, output: returns<SyncStatusView>(), public: false },
  'sync:now': { input: empty, output: returns<SyncStatusView>(), public: false },
  /** Work offline needs a manager's PIN to switch on; switching it off needs only a signed-in session. */
  'sync:setOffline': {
    input: z.object({ offline: z.boolean(), managerPin, reason: reasonInput.optional() }).strict(),
    output: returns<SyncStatusView>(),
    public: false,
  },
} as const satisfies Record<ChannelName, ChannelSpec>;

export type PosApiMap = typeof POS_API;
export type Channel = keyof PosApiMap;
export { CHANNELS };

export type ChannelInput<C extends Channel> = z.input<PosApiMap[C]['input']>;
export type ParsedInput<C extends Channel> = z.output<PosApiMap[C]['input']>;
export type ChannelOutput<C extends Channel> = PosApiMap[C]['output'];
export type PosResult<C extends Channel> = Result<ChannelOutput<C>>;

/** What a transport offers the screens: one async function per channel. */
export type PosApi = { readonly [C in Channel]: (input: ChannelInput<C>) => Promise<PosResult<C>> };

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.hasOwn(POS_API, value);
}

/** The code a transport answers when a call needs a signed-in cashier and has none. */
export const NOT_SIGNED_IN: Problem = {
  code: 'not-signed-in',
  field: 'session',
  reason: 'Sign in with your PIN first.',
};
