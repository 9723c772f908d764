import { poisha } from '../../shared/money';
import { milli } from '../../shared/quantity';
import { normalizeReceiptNo } from '../../shared/receipt';
import {
  type Channel,
  type ChannelOutput,
  isChannel,
  NOT_SIGNED_IN,
  type ParsedInput,
  POS_API,
  type PosResult,
  type OfflineView,
  type SyncStatusView,
  type TillDbView,
} from '../../shared/pos-api';
import { fail, ok, type Result } from '../../shared/result';
import type { SaleDraft } from '../../shared/sale-draft';
import { problemFromIssues } from '../../shared/wire/common';
import type { Till } from '../open-till';
import { completeSale } from '../sale/complete-sale';
import { setCartDiscount, setLineDiscount } from '../sale/discounts';
import { addLine, changeQuantity, removeLine } from '../sale/edit-lines';
import { refundSale } from '../sale/refund-sale';
import { startSale } from '../sale/start-sale';
import { setCustomer } from '../sale/customer';
import { addPaymentWithinCaps, removePayment } from '../sale/tender';
import { findCustomer } from '../store/customers';
import { normalizeBdMobile } from '../../shared/phone';
import { voidSale } from '../sale/void-sale';
import { closeShift, DENOMINATIONS } from '../shift/close-shift';
import { openShift } from '../shift/open-shift';
import { approveByManager, login } from '../staff/login';
import { tillDbHealth } from '../store/db-health';
import { openOfflinePeriod } from '../store/offline-periods';
import { goOffline, goOnline } from '../sync/offline-mode';
import { searchProducts } from '../store/catalog';
import { outboxCounts } from '../store/outbox';
import { getSale, getSaleByReceipt } from '../store/sales';
import { computeZReport, getOpenShift } from '../store/shifts';
import type { Staff } from '../store/staff';
import { getBranchSettings } from '../store/till';
import { pendingSalesCount, recentSalesWithTicks } from './sale-ticks';
import { createSessions, type Sessions } from './sessions';
import type { SyncControl } from './sync-control';
import { cartView, customerView, productView, receiptView, shiftView, staffName, staffView } from './views';

export interface PosServiceOptions {
  readonly sync?: SyncControl;
  readonly sessions?: Sessions;
  /** Where unexpected failures are reported (they reach the screen only as a generic message). */
  readonly log?: (message: string, error: unknown) => void;
}

/**
 * The till side of PosApi: parses each call with the channel's schema, checks
 * the session, runs the use case and answers `{ ok, value | error }`. It holds
 * what lives only in memory: the sale being rung up (one per till). The
 * "Work offline" switch is an offline period on record (sync/offline-mode.ts). Both transports, IPC and HTTP, call `call`.
 */
export interface PosService {
  call(channel: string, input: unknown, token: string | null): Promise<Result<unknown>>;
  readonly sessions: Sessions;
}

type Handler<C extends Channel> = (
  input: ParsedInput<C>,
  ctx: { readonly staff: Staff | undefined; readonly token: string | null },
) => PosResult<C> | Promise<PosResult<C>>;

export function createPosService(till: Till, options: PosServiceOptions = {}): PosService {
  const { deps } = till;
  const read = till.store.read;
  const sessions = options.sessions ?? createSessions(deps.now);
  const log = options.log ?? ((message, error) => console.error(message, error));
  let draft: SaleDraft | null = null;
  // Work offline is a manual offline period on record, so it outlives a restart.
  const workingOffline = () => openOfflinePeriod(read)?.cause === 'manual';

  function ensureDraft(): Result<SaleDraft> {
    const shift = getOpenShift(deps.db);
    if (!shift) {
      draft = null;
      return fail('no-open-shift', 'shift', 'Open a shift before ringing up a sale.');
    }
    if (draft && draft.shiftId === shift.id) return ok(draft);
    const started = startSale(deps, { shiftId: shift.id });
    if (started.ok) draft = started.value;
    return started;
  }

  /** Applies an edit to the current sale; a refused edit leaves the sale as it was. */
  function edit(change: (d: SaleDraft) => Result<SaleDraft>): PosResult<'sale:scan'> {
    const current = ensureDraft();
    if (!current.ok) return current;
    const next = change(current.value);
    if (!next.ok) return next;
    draft = next.value;
    return ok(cartView(draft));
  }

  /**
   * Whether a sale now is taken offline, for the branch's caps on card and
   * mobile money: while an offline period is open (the network found down,
   * or Work offline), or unless the last sync reached head office, the till
   * cannot count on anything being checked.
   */
  function isOffline(): boolean {
    return !!openOfflinePeriod(read) || options.sync?.status().online !== true;
  }

  function offlineView(): OfflineView | null {
    const open = openOfflinePeriod(read);
    if (!open) return null;
    return {
      cause: open.cause,
      since: open.startedAt,
      by: open.startedBy ? staffName(read, open.startedBy) : null,
      detail: open.detail,
    };
  }

  function dbView(): TillDbView {
    const h = tillDbHealth(read);
    return { bytes: h.bytes, rowsWaiting: h.rowsWaiting, oldestUnsyncedSaleAt: h.oldestUnsyncedSale?.at ?? null };
  }

  function syncStatus(): SyncStatusView {
    const counts = outboxCounts(read);
    const offline = offlineView();
    const workOffline = offline?.cause === 'manual';
    const base = {
      workOffline,
      offline,
      db: dbView(),
      pendingSales: pendingSalesCount(read),
      pendingEvents: counts.pending,
      queuedNotAcked: counts.queuedNotAcked,
    };
    if (!options.sync) {
      return {
        ...base,
        configured: false,
        online: null,
        running: false,
        lastSuccessAt: null,
        lastError: null,
        nextRunAt: null,
      };
    }
    const s = options.sync.status();
    return {
      ...base,
      configured: true,
      online: s.online,
      running: s.running,
      lastSuccessAt: s.lastSuccessAt,
      lastError: s.lastError,
      nextRunAt: base.workOffline ? null : s.nextRunAt,
    };
  }

  const handlers: { readonly [C in Channel]: Handler<C> } = {
    'till:info': () => {
      const shift = getOpenShift(read);
      return ok({
        branch: till.id.branch,
        till: till.id.till,
        shift: shift ? shiftView(read, shift) : null,
        denominations: [...DENOMINATIONS],
        maxDiscountWithoutManagerBps: getBranchSettings(read).maxDiscountWithoutManagerBps,
      });
    },
    'session:login': (input) => {
      const staff = login(deps, input);
      if (!staff.ok) return staff;
      return ok({ token: sessions.create(staff.value), staff: staffView(staff.value) });
    },
    'session:current': (_input, { staff }) => ok(staff ? staffView(staff) : null),
    'session:logout': (_input, { token }) => {
      sessions.drop(token);
      return ok(null);
    },
    'shift:open': (input, { staff }) => {
      const shift = openShift(deps, { cashierId: staff!.id, openingFloat: input.openingFloat });
      if (!shift.ok) return shift;
      draft = null;
      return ok(shiftView(read, shift.value));
    },
    'shift:summary': () => {
      const shift = getOpenShift(read);
      if (!shift) return fail('no-open-shift', 'shift', 'No shift is open on this till.');
      return ok(computeZReport(read, shift, 0));
    },
    'shift:close': (input, { staff }) => {
      const shift = getOpenShift(deps.db);
      if (!shift) return fail('no-open-shift', 'shift', 'No shift is open on this till.');
      if (draft && draft.lines.length > 0) {
        return fail('sale-in-progress', 'shift', 'Finish or cancel the sale in progress before closing the shift.');
      }
      const z = closeShift(deps, { shiftId: shift.id, closedBy: staff!.id, denominations: input.denominations });
      if (!z.ok) return z;
      draft = null;
      const denominations = Object.fromEntries(Object.entries(input.denominations).filter(([, n]) => n > 0));
      return ok({ shiftId: shift.id, openedAt: shift.openedAt, closedAt: deps.now(), denominations, z: z.value });
    },
    'sale:current': () => ok(cartView(draft && getOpenShift(read)?.id === draft.shiftId ? draft : null)),
    'sale:scan': (input) => edit((d) => addLine(deps, d, input)),
    'sale:add': (input) => edit((d) => addLine(deps, d, input)),
    'sale:search': (input) => ok(searchProducts(read, input.query, input.limit ?? 8).map(productView)),
    'sale:setQuantity': (input) => edit((d) => changeQuantity(d, input)),
    'sale:removeLine': (input) => edit((d) => removeLine(d, input)),
    'sale:lineDiscount': (input) => edit((d) => setLineDiscount(deps, d, input)),
    'sale:cartDiscount': (input) => edit((d) => setCartDiscount(deps, d, input)),
    'sale:tender': (input) => edit((d) => addPaymentWithinCaps(deps, d, input, isOffline())),
    'sale:setCustomer': (input) => edit((d) => setCustomer(d, input)),
    'customer:lookup': (input) => {
      const phone = normalizeBdMobile(input.phone, 'phone');
      if (!phone.ok) return phone;
      const found = findCustomer(read, phone.value);
      return ok(found ? customerView(found) : null);
    },
    'sale:removePayment': (input) => edit((d) => removePayment(d, input)),
    'sale:complete': (input) => {
      if (!draft || draft.id !== input.saleId) {
        // A retry whose first reply was lost: the sale is already on disk, so answer its receipt again.
        const recorded = getSale(read, input.saleId);
        if (recorded) return ok(receiptView(read, till.id, recorded));
        if (!draft) return fail('empty-sale', 'lines', 'A sale needs at least one item.');
        return fail(
          'sale-changed',
          'saleId',
          'This is not the sale on the till any more; check the cart and pay again.',
        );
      }
      const done = completeSale(deps, draft, { offline: isOffline() });
      if (!done.ok) return done;
      draft = null;
      const sale = getSaleByReceipt(read, done.value.receiptNo);
      if (!sale) throw new Error(`sale ${done.value.receiptNo} was committed but cannot be read back`);
      return ok(receiptView(read, till.id, sale));
    },
    'sale:cancel': () => {
      draft = null;
      return ok(cartView(null));
    },
    'sale:lookup': (input) => {
      const receiptNo = normalizeReceiptNo(input.receiptNo);
      if (!receiptNo) return fail('invalid-receipt-no', 'receiptNo', 'A receipt number looks like DHK01-2-000123.');
      const sale = getSaleByReceipt(read, receiptNo);
      if (!sale) return fail('receipt-not-found', 'receiptNo', `No sale ${receiptNo} on this till.`);
      return ok(receiptView(read, till.id, sale));
    },
    'sale:void': (input) => {
      const v = voidSale(deps, input);
      return v.ok ? ok({ receiptNo: v.value.receiptNo, voidedAt: v.value.voidedAt }) : v;
    },
    'sale:refund': (input) => {
      const r = refundSale(deps, input);
      if (!r.ok) return r;
      const { receiptNo, method, reference, total, lines } = r.value;
      return ok({
        receiptNo,
        method,
        reference,
        total: poisha(total),
        lines: lines.map((l) => ({ lineNo: l.lineNo, quantity: milli(l.quantity), amount: poisha(l.amount) })),
      });
    },
    'sales:recent': (input) => ok(recentSalesWithTicks(read, input.limit ?? 10)),
    'sync:status': () => ok(syncStatus()),
    'sync:now': async () => {
      if (!options.sync) {
        return fail(
          'sync-not-configured',
          'sync',
          'This till is not connected to head office yet; sales wait safely on the till.',
        );
      }
      if (workingOffline()) return fail('working-offline', 'sync', 'Turn off “Work offline” to sync.');
      // Offline, the run starts and the screen does not wait for it: the
      // header shows how it went on its next look.
      if (openOfflinePeriod(read) || options.sync.status().online === false) {
        void options.sync.runNow();
        return ok({ ...syncStatus(), running: true });
      }
      await options.sync.runNow();
      return ok(syncStatus());
    },
    'sync:setOffline': async (input, { staff }) => {
      if (input.offline === workingOffline()) return ok(syncStatus());
      if (input.offline) {
        const manager = approveByManager(deps, input.managerPin);
        if (!manager.ok) return manager;
        const reason = input.reason?.trim() || `Work offline, switched on by ${manager.value.name}`;
        const went = goOffline(deps, { cause: 'manual', by: manager.value.id, detail: reason });
        if (!went.ok) return went;
      } else {
        const back = goOnline(deps, { cause: 'manual', by: staff?.id ?? null });
        if (!back.ok) return back;
      }
      await options.sync?.setPaused(input.offline);
      return ok(syncStatus());
    },
  };

  async function call(channel: string, raw: unknown, token: string | null): Promise<Result<unknown>> {
    if (!isChannel(channel)) return fail('unknown-channel', 'channel', `There is no call named "${channel}".`);
    const spec = POS_API[channel];
    const staff = sessions.get(token);
    if (!spec.public && !staff) return { ok: false, error: NOT_SIGNED_IN };
    const parsed = spec.input.safeParse(raw ?? {});
    if (!parsed.success) return { ok: false, error: problemFromIssues(parsed.error.issues) };
    try {
      const handler = handlers[channel] as Handler<Channel>;
      return await handler(parsed.data as ParsedInput<Channel>, { staff, token });
    } catch (e) {
      log(`${channel} failed`, e);
      return fail('internal-error', '', 'Something went wrong on the till. The sale in progress is kept; try again.');
    }
  }

  return { call, sessions };
}

export type { ChannelOutput };
