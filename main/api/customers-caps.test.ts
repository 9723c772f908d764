import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { taka } from '../../shared/money';
import type { CartView, CustomerView, ReceiptView } from '../../shared/pos-api';
import type { Result } from '../../shared/result';
import { DEFAULT_BRANCH_SETTINGS } from '../../shared/settings';
import { parseEvent } from '../../shared/wire/events';
import { readOutbox } from '../store/outbox';
import { setBranchSettings } from '../store/till';
import { CASHIER, MANAGER, PRODUCTS, tempTill, type TempTill } from '../testing/fixtures';
import { createPosService, type PosService } from './pos-service';
import type { SyncControl } from './sync-control';

let till: TempTill;
let pos: PosService;
let token: string;
let online: boolean | null;

function value<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code} (${r.error.field}): ${r.error.reason}`);
  return r.value as T;
}
const call = (channel: string, input: unknown = {}) => pos.call(channel, input, token);
const oil = PRODUCTS.oil.barcodes[0]!;
const complete = async () =>
  value<ReceiptView>(await call('sale:complete', { saleId: value<CartView>(await call('sale:current')).saleId }));

/** Rings `count` bottles of oil (৳190 each) and returns the cart. */
async function ring(count: number): Promise<CartView> {
  let cart: CartView | undefined;
  for (let i = 0; i < count; i++) cart = value<CartView>(await call('sale:scan', { barcode: oil }));
  return cart!;
}

function sentSales() {
  return readOutbox(till.deps.db, 1, 100)
    .map((row) => parseEvent(JSON.parse(row.body)))
    .flatMap((r) => (r.ok && r.value.type === 'sale.completed' ? [r.value] : []));
}

beforeEach(async () => {
  till = tempTill();
  online = true;
  const sync: SyncControl = {
    status: () => ({ online, running: false, lastSuccessAt: null, lastError: null, nextRunAt: null }),
    runNow: async () => undefined,
    setPaused: async () => undefined,
  };
  pos = createPosService(till, { sync, log: () => undefined });
  token = value<{ token: string }>(await pos.call('session:login', { pin: CASHIER.pin }, null)).token;
  value(await call('shift:open', { openingFloat: taka(500) }));
});
afterEach(() => till.cleanup());

describe('customers on the till', () => {
  it('puts a customer on a sale by mobile number in one normal form, and finds them again offline', async () => {
    await ring(1);
    expect(await call('sale:setCustomer', { phone: '0171234567' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-phone', field: 'phone' },
    });
    // The refused number left the sale as it was.
    expect(value<CartView>(await call('sale:current'))).toMatchObject({ customer: null, lines: [{}] });
    const cart = value<CartView>(
      await call('sale:setCustomer', { phone: '+880 1712-345678', name: '  Rahima  Akter ' }),
    );
    expect(cart.customer).toEqual({ phone: '+8801712345678', name: 'Rahima Akter' });
    value(await call('sale:tender', { method: 'cash', amount: taka(200) }));
    const receipt = await complete();
    expect(receipt).toMatchObject({ customerPhone: '+8801712345678', offline: false });

    expect(value(await call('customer:lookup', { phone: '01912345678' }))).toBeNull();
    online = false;
    await ring(2);
    const found = value<CustomerView>(await call('customer:lookup', { phone: '8801712345678' }));
    expect(found).toMatchObject({ phone: '+8801712345678', name: 'Rahima Akter', visits: 1, spent: taka(190) });
    // Written the other way, without a name this time: the same customer, the name kept.
    value(await call('sale:setCustomer', { phone: '01712345678' }));
    value(await call('sale:tender', { method: 'cash', amount: taka(380) }));
    await complete();
    expect(value(await call('customer:lookup', { phone: '01712-345678' }))).toMatchObject({
      visits: 2,
      spent: taka(570),
      name: 'Rahima Akter',
    });

    const [first, second] = sentSales();
    expect(first).toMatchObject({ v: 2, payload: { customer: { phone: '+8801712345678', name: 'Rahima Akter' } } });
    expect(second).toMatchObject({ payload: { customer: { phone: '+8801712345678', name: null }, offline: true } });
  });

  it('takes a customer off the sale', async () => {
    await ring(1);
    value(await call('sale:setCustomer', { phone: '01712345678' }));
    expect(value<CartView>(await call('sale:setCustomer', { phone: null })).customer).toBeNull();
    expect(await call('customer:lookup', { phone: 'abc' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-phone', field: 'phone' },
    });
  });
});

describe('offline tender caps', () => {
  beforeEach(() =>
    setBranchSettings(till.deps.db, {
      ...DEFAULT_BRANCH_SETTINGS,
      offlineCardPerSaleTaka: 500,
      offlineCardPerDayTaka: 800,
      offlineMobilePerSaleTaka: 300,
      offlineMobilePerDayTaka: null,
    }),
  );

  it('does not cap card payments while the till is online', async () => {
    await ring(5);
    value(await call('sale:tender', { method: 'card', amount: taka(950), reference: 'AB1234' }));
    expect(await complete()).toMatchObject({ offline: false, total: taka(950) });
  });

  it('refuses card over the per-sale cap offline, keeping the sale, and takes cash or a manager’s PIN', async () => {
    online = false;
    await ring(3);
    expect(await call('sale:tender', { method: 'card', amount: taka(570), reference: 'AB1234' })).toMatchObject({
      ok: false,
      error: { code: 'offline-cap-exceeded', field: 'amount', reason: expect.stringContaining('৳500.00 per sale') },
    });
    expect(value<CartView>(await call('sale:current')).payments).toEqual([]);
    // Up to the cap by card, the rest in cash.
    value(await call('sale:tender', { method: 'card', amount: taka(500), reference: 'AB1234' }));
    value(await call('sale:tender', { method: 'cash', amount: taka(70) }));
    expect(await complete()).toMatchObject({ offline: true });

    // A cashier's PIN does not approve; a manager's does, and is recorded.
    await ring(3);
    expect(
      await call('sale:tender', { method: 'card', amount: taka(570), reference: 'AB1234', managerPin: CASHIER.pin }),
    ).toMatchObject({ ok: false, error: { field: 'managerPin' } });
    const approved = value<CartView>(
      await call('sale:tender', { method: 'card', amount: taka(570), reference: 'AB1234', managerPin: MANAGER.pin }),
    );
    expect(approved.tenderApproved).toBe(true);
    await complete();
    expect(sentSales().map((e) => e.payload.tenderApprovedBy)).toEqual([null, MANAGER.id]);
  });

  it('counts the till’s offline card payments through the business day', async () => {
    online = false;
    await ring(2);
    value(await call('sale:tender', { method: 'card', amount: taka(380), reference: 'AB1234' }));
    await complete();
    await ring(3);
    // ৳380 + ৳570 would pass the ৳800 a day; ৳420 fits exactly.
    expect(await call('sale:tender', { method: 'card', amount: taka(500), reference: 'AB1234' })).toMatchObject({
      ok: false,
      error: { code: 'offline-cap-exceeded', reason: expect.stringContaining('per day on this till') },
    });
    value(await call('sale:tender', { method: 'card', amount: taka(420), reference: 'AB1234' }));
    value(await call('sale:tender', { method: 'cash', amount: taka(150) }));
    await complete();
    // Card taken online does not count towards the offline day.
    online = true;
    await ring(1);
    value(await call('sale:tender', { method: 'card', amount: taka(190), reference: 'AB1234' }));
    await complete();
    online = false;
    await ring(1);
    expect(await call('sale:tender', { method: 'card', amount: taka(1), reference: 'AB1234' })).toMatchObject({
      ok: false,
      error: { code: 'offline-cap-exceeded' },
    });
  });

  it('checks the caps again when the till goes offline between payment and completion', async () => {
    await ring(2);
    value(await call('sale:tender', { method: 'bkash', amount: taka(380), reference: 'TRX12345678' }));
    online = false;
    const saleId = value<CartView>(await call('sale:current')).saleId;
    expect(await call('sale:complete', { saleId })).toMatchObject({
      ok: false,
      error: { code: 'offline-cap-exceeded', field: 'payments', reason: expect.stringContaining('bKash and Nagad') },
    });
    // Nothing was recorded; the cashier swaps the bKash payment for cash.
    expect(sentSales()).toEqual([]);
    value(await call('sale:removePayment', { index: 0 }));
    value(await call('sale:tender', { method: 'cash', amount: taka(380) }));
    expect(await complete()).toMatchObject({ offline: true, customerPhone: null });
  });
});
