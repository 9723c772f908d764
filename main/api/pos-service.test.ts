import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { taka } from '../../shared/money';
import type { CartView, ReceiptView, SyncStatusView } from '../../shared/pos-api';
import type { Result } from '../../shared/result';
import { applyAcknowledgement, markQueued } from '../store/outbox';
import { CASHIER, MANAGER, PRODUCTS, tempTill, type TempTill } from '../testing/fixtures';
import { createPosService, type PosService } from './pos-service';
import type { SyncControl } from './sync-control';

let till: TempTill;
let pos: PosService;
let token: string;

function value<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code} (${r.error.field}): ${r.error.reason}`);
  return r.value as T;
}
const call = (channel: string, input: unknown = {}) => pos.call(channel, input, token);
const bc = (p: { barcodes: readonly string[] }) => p.barcodes[0]!;
/** Completes the sale on the till, named by its id as the tender screen does. */
const complete = async () => call('sale:complete', { saleId: value<CartView>(await call('sale:current')).saleId });

async function signIn(pin = CASHIER.pin): Promise<string> {
  return value<{ token: string }>(await pos.call('session:login', { pin }, null)).token;
}

beforeEach(async () => {
  till = tempTill();
  pos = createPosService(till, { log: () => undefined });
  token = await signIn();
});
afterEach(() => till.cleanup());

describe('the till API', () => {
  it('needs a session for everything but the till’s name and signing in', async () => {
    expect(value(await pos.call('till:info', {}, null))).toMatchObject({ branch: 'DHK01', till: 2, shift: null });
    expect(await pos.call('sale:current', {}, null)).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'not-signed-in' }),
    });
    expect(await pos.call('sale:current', {}, 'forged')).toMatchObject({ ok: false, error: { code: 'not-signed-in' } });
    expect(await pos.call('session:login', { pin: '5555' }, null)).toMatchObject({
      ok: false,
      error: { code: 'wrong-pin', field: 'pin' },
    });
    expect(value(await call('session:current'))).toMatchObject({ name: CASHIER.name });
    value(await call('session:logout'));
    expect(await call('session:current')).toEqual({ ok: true, value: null });
  });

  it('refuses input that does not match the channel’s schema, naming the field', async () => {
    expect(await call('shift:open', { openingFloat: 'lots' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-field', field: 'openingFloat' },
    });
    expect(await call('shift:open', { openingFloat: 1, extra: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid-field' },
    });
    expect(await call('nope:never')).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
  });

  it('rings up a sale held in memory, keeps the cart through refusals, and completes it', async () => {
    expect(await call('sale:scan', { barcode: bc(PRODUCTS.soap) })).toMatchObject({
      ok: false,
      error: { code: 'no-open-shift' },
    });
    value(await call('shift:open', { openingFloat: taka(1000) }));
    value(await call('sale:scan', { barcode: bc(PRODUCTS.soap) }));
    value(await call('sale:scan', { barcode: bc(PRODUCTS.soap) }));
    const [rice] = value<{ id: string }[]>(await call('sale:search', { query: 'চাল' }));
    let cart = value<CartView>(await call('sale:add', { productId: rice!.id, quantity: 1500 }));
    expect(cart.lines.map((l) => [l.nameEn, l.quantity])).toEqual([
      ['Lux Soap 100g', 2000],
      ['Miniket Rice', 1500],
    ]);
    expect(cart.total).toBe(taka(110) + taka(117));
    expect(await call('sale:scan', { barcode: '999' })).toMatchObject({
      ok: false,
      error: { code: 'unknown-barcode', field: 'barcode' },
    });
    expect(await call('sale:lineDiscount', { lineNo: 1, amount: taka(50) })).toMatchObject({
      ok: false,
      error: { code: 'manager-approval-required' },
    });
    cart = value<CartView>(await call('sale:current'));
    expect(cart.lines).toHaveLength(2);
    cart = value<CartView>(await call('sale:lineDiscount', { lineNo: 1, amount: taka(10), managerPin: MANAGER.pin }));
    expect(cart.discountTotal).toBe(taka(10));
    value<CartView>(await call('sale:tender', { method: 'card', amount: taka(100), reference: 'appr01' }));
    cart = value<CartView>(await call('sale:tender', { method: 'cash', amount: taka(500) }));
    expect(cart).toMatchObject({ due: 0, change: taka(500 + 100 - 217) });
    const receipt = value<ReceiptView>(await complete());
    expect(receipt).toMatchObject({
      receiptNo: 'DHK01-2-000001',
      total: taka(217),
      change: taka(383),
      cashierName: CASHIER.name,
    });
    expect(value<CartView>(await call('sale:current')).lines).toEqual([]);
    expect(value(await call('sale:lookup', { receiptNo: ' dhk01-2-000001 ' }))).toMatchObject({
      total: taka(217),
    });
  });

  it('answers a retried completion with the receipt already recorded, never a second sale', async () => {
    value(await call('shift:open', { openingFloat: 0 }));
    value(await call('sale:scan', { barcode: bc(PRODUCTS.tea) }));
    const cart = value<CartView>(await call('sale:tender', { method: 'cash', amount: taka(300) }));
    const first = value<ReceiptView>(await call('sale:complete', { saleId: cart.saleId }));
    // The reply was lost on the way; the screen asks again for the same sale.
    const again = value<ReceiptView>(await call('sale:complete', { saleId: cart.saleId }));
    expect(again).toEqual(first);
    expect(value<{ receiptNo: string }[]>(await call('sales:recent')).map((s) => s.receiptNo)).toEqual([
      first.receiptNo,
    ]);
    value(await call('sale:scan', { barcode: bc(PRODUCTS.soap) }));
    expect(await call('sale:complete', { saleId: 'not-this-sale' })).toMatchObject({
      ok: false,
      error: { code: 'sale-changed', field: 'saleId' },
    });
    expect(value<CartView>(await call('sale:current')).lines).toHaveLength(1);
    value(await call('sale:cancel'));
    expect(await call('sale:complete', { saleId: 'not-this-sale' })).toMatchObject({
      ok: false,
      error: { code: 'empty-sale' },
    });
    expect(await call('sale:complete', {})).toMatchObject({
      ok: false,
      error: { code: 'invalid-field', field: 'saleId' },
    });
  });

  it('shows each sale’s way to head office: local, ✔ queued, ✔✔ acknowledged', async () => {
    value(await call('shift:open', { openingFloat: 0 }));
    for (let i = 0; i < 3; i++) {
      value(await call('sale:scan', { barcode: bc(PRODUCTS.tea) }));
      value(await call('sale:tender', { method: 'cash', amount: taka(260) }));
      value(await complete());
    }
    // Outbox: 1 shift.opened, then sales at 2, 3, 4.
    markQueued(till.deps.db, 1, 3, 1);
    applyAcknowledgement(till.deps.db, { ackedThrough: 2, missing: [] }, 2);
    const recent = value<{ receiptNo: string; tick: string }[]>(await call('sales:recent'));
    expect(recent.map((s) => [s.receiptNo, s.tick])).toEqual([
      ['DHK01-2-000003', 'local'],
      ['DHK01-2-000002', 'queued'],
      ['DHK01-2-000001', 'acked'],
    ]);
    expect(value<SyncStatusView>(await call('sync:status'))).toMatchObject({
      pendingSales: 1,
      pendingEvents: 1,
      queuedNotAcked: 1,
    });
  });

  it('says the connection is unknown when no sync is wired, and drives one when it is', async () => {
    expect(value(await call('sync:status'))).toMatchObject({ configured: false, online: null, lastSuccessAt: null });
    expect(await call('sync:now')).toMatchObject({ ok: false, error: { code: 'sync-not-configured' } });

    const calls: string[] = [];
    const sync: SyncControl = {
      status: () => ({ online: true, running: false, lastSuccessAt: 42, lastError: null, nextRunAt: 99 }),
      runNow: async () => void calls.push('run'),
      setPaused: async (p) => void calls.push(p ? 'pause' : 'resume'),
    };
    pos = createPosService(till, { sync });
    token = await signIn();
    expect(value(await call('sync:now'))).toMatchObject({ configured: true, online: true, lastSuccessAt: 42 });
    expect(await call('sync:setOffline', { offline: true })).toMatchObject({
      ok: false,
      error: { code: 'manager-approval-required', field: 'managerPin' },
    });
    expect(await call('sync:setOffline', { offline: true, managerPin: CASHIER.pin })).toMatchObject({
      ok: false,
      error: { code: 'wrong-pin', field: 'managerPin' },
    });
    expect(calls).toEqual(['run']);
    expect(value(await call('sync:setOffline', { offline: true, managerPin: MANAGER.pin }))).toMatchObject({
      workOffline: true,
      offline: { cause: 'manual', by: MANAGER.name },
      nextRunAt: null,
    });
    expect(await call('sync:now')).toMatchObject({ ok: false, error: { code: 'working-offline' } });
    // The switch is on record: a till restarted while working offline stays so.
    pos = createPosService(till, { sync });
    token = await signIn();
    expect(value(await call('sync:status'))).toMatchObject({ workOffline: true });
    value(await call('sync:setOffline', { offline: false }));
    expect(value(await call('sync:status'))).toMatchObject({ workOffline: false, offline: null });
    expect(calls).toEqual(['run', 'pause', 'resume']);
    const events = till.deps.db.prepare("SELECT type, body FROM outbox WHERE type LIKE 'till.%' ORDER BY seq").all();
    expect(events.map((e) => (e as { type: string }).type)).toEqual(['till.offline', 'till.online']);
    expect(JSON.parse((events[1] as { body: string }).body).payload).toMatchObject({ cause: 'manual', by: CASHIER.id });
  });

  it('does not keep the screen waiting on Sync now while the till is offline', async () => {
    let release!: () => void;
    let runs = 0;
    const sync: SyncControl = {
      status: () => ({ online: false, running: runs > 0, lastSuccessAt: null, lastError: null, nextRunAt: null }),
      runNow: () => {
        runs += 1;
        return new Promise<void>((done) => (release = done));
      },
      setPaused: async () => undefined,
    };
    pos = createPosService(till, { sync });
    token = await signIn();
    // The run hangs on a dead line; the call answers all the same.
    expect(value(await call('sync:now'))).toMatchObject({ online: false, running: true });
    expect(runs).toBe(1);
    release();
  });

  it('shows the till database’s size, what waits for head office, and the oldest sale not confirmed', async () => {
    const before = value<SyncStatusView>(await call('sync:status')).db;
    expect(before).toMatchObject({ rowsWaiting: 0, oldestUnsyncedSaleAt: null });
    expect(before.bytes).toBeGreaterThan(0);
    value(await call('shift:open', { openingFloat: taka(500) }));
    value(await call('sale:scan', { barcode: bc(PRODUCTS.soap) }));
    value(await call('sale:tender', { method: 'cash', amount: taka(55) }));
    const receipt = value<ReceiptView>(await complete());
    expect(value<SyncStatusView>(await call('sync:status')).db).toMatchObject({
      rowsWaiting: 2,
      oldestUnsyncedSaleAt: receipt.completedAt,
    });
    applyAcknowledgement(till.deps.db, { ackedThrough: 2, missing: [] }, 3);
    expect(value<SyncStatusView>(await call('sync:status')).db).toMatchObject({
      rowsWaiting: 0,
      oldestUnsyncedSaleAt: null,
    });
  });

  it('voids and refunds by receipt number with a manager’s PIN, and closes the shift with a Z report', async () => {
    value(await call('shift:open', { openingFloat: taka(500) }));
    const sell = async () => {
      value(await call('sale:scan', { barcode: bc(PRODUCTS.soap) }));
      value(await call('sale:tender', { method: 'cash', amount: taka(55) }));
      return value<ReceiptView>(await complete()).receiptNo;
    };
    const a = await sell();
    const b = await sell();
    expect(await call('sale:void', { receiptNo: a, managerPin: CASHIER.pin, reason: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'wrong-pin', field: 'managerPin' },
    });
    value(await call('sale:void', { receiptNo: a, managerPin: MANAGER.pin, reason: 'mistake' }));
    expect(
      await call('sale:refund', {
        receiptNo: b,
        lines: [{ lineNo: 1, quantity: 2000 }],
        method: 'cash',
        managerPin: MANAGER.pin,
        reason: 'x',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'over-refund', field: 'lines[0].quantity' },
    });
    expect(
      value(
        await call('sale:refund', {
          receiptNo: b,
          lines: 'all',
          method: 'cash',
          managerPin: MANAGER.pin,
          reason: 'torn',
        }),
      ),
    ).toMatchObject({
      total: taka(55),
    });
    expect(value(await call('shift:summary'))).toMatchObject({ expectedCash: taka(500) });
    value(await call('sale:scan', { barcode: bc(PRODUCTS.soap) }));
    expect(await call('shift:close', { denominations: { '500': 1 } })).toMatchObject({
      ok: false,
      error: { code: 'sale-in-progress' },
    });
    value(await call('sale:cancel'));
    const closed = value<{ z: { difference: number; countedCash: number } }>(
      await call('shift:close', { denominations: { '500': 1, '100': 0 } }),
    );
    expect(closed).toMatchObject({ denominations: { '500': 1 }, z: { countedCash: taka(500), difference: 0 } });
    expect(value(await call('till:info'))).toMatchObject({ shift: null });
  });
});
