import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { taka } from '../../shared/money';
import { qty } from '../../shared/quantity';
import { parseEvent } from '../../shared/wire/events';
import { completeSale } from '../sale/complete-sale';
import { addLine } from '../sale/edit-lines';
import { refundSale } from '../sale/refund-sale';
import { startSale } from '../sale/start-sale';
import { addPayment } from '../sale/tender';
import { voidSale } from '../sale/void-sale';
import { approveByManager, login } from '../staff/login';
import { readOutbox } from '../store/outbox';
import { getShift } from '../store/shifts';
import { CASHIER, MANAGER, PRODUCTS, tempTill, type TempTill } from '../testing/fixtures';
import { must, ringCashSale } from '../testing/ring';
import { closeShift } from './close-shift';
import { openShift } from './open-shift';

let till: TempTill;
const bc = (p: { barcodes: readonly string[] }) => p.barcodes[0]!;
beforeEach(() => {
  till = tempTill();
});
afterEach(() => till.cleanup());

describe('login', () => {
  it('finds the staff member by PIN and refuses others', () => {
    expect(must(login(till.deps, { pin: CASHIER.pin }))).toMatchObject({ id: CASHIER.id, role: 'cashier' });
    expect(must(login(till.deps, { pin: MANAGER.pin }))).toMatchObject({ id: MANAGER.id, role: 'manager' });
    expect(login(till.deps, { pin: '5555' })).toMatchObject({ ok: false, error: { code: 'wrong-pin', field: 'pin' } });
    expect(login(till.deps, { pin: '12' })).toMatchObject({ ok: false, error: { code: 'invalid-pin', field: 'pin' } });
  });

  it('locks PIN entry after too many wrong PINs in a row, then opens again', () => {
    let now = 1_763_900_000_000;
    const deps = { ...till.deps, now: () => now };
    for (let i = 0; i < 4; i++)
      expect(login(deps, { pin: '5555' })).toMatchObject({ ok: false, error: { code: 'wrong-pin' } });
    expect(login(deps, { pin: '5555' })).toMatchObject({ ok: false, error: { code: 'pin-locked', field: 'pin' } });
    // Even the right PIN waits out the lock.
    expect(login(deps, { pin: CASHIER.pin })).toMatchObject({ ok: false, error: { code: 'pin-locked' } });
    // Manager approvals are counted separately, so a locked login does not block a refund.
    expect(approveByManager(deps, MANAGER.pin)).toMatchObject({ ok: true });
    now += 5 * 60_000 + 1;
    expect(login(deps, { pin: CASHIER.pin })).toMatchObject({ ok: true });
    // A success resets the count.
    for (let i = 0; i < 4; i++) login(deps, { pin: '5555' });
    expect(login(deps, { pin: CASHIER.pin })).toMatchObject({ ok: true });
    expect(login(deps, { pin: '5555' })).toMatchObject({ ok: false, error: { code: 'wrong-pin' } });
  });

  it('never stores a PIN in plain text', () => {
    const rows = till.deps.db.prepare('SELECT pin_hash FROM staff').all() as { pin_hash: string }[];
    for (const r of rows) {
      expect(r.pin_hash).toMatch(/^scrypt\$/);
      expect(r.pin_hash).not.toContain(CASHIER.pin);
    }
  });
});

describe('shifts', () => {
  it('open with a float; only one at a time', () => {
    const shift = must(openShift(till.deps, { cashierId: CASHIER.id, openingFloat: taka(1500) }));
    expect(openShift(till.deps, { cashierId: MANAGER.id, openingFloat: 0 })).toMatchObject({
      ok: false,
      error: { code: 'shift-already-open' },
    });
    expect(readOutbox(till.deps.db)[0]).toMatchObject({ seq: 1, type: 'shift.opened' });
    expect(getShift(till.deps.db, shift.id)?.openingFloat).toBe(taka(1500));
  });

  it('refuse a bad float or an unknown cashier', () => {
    expect(openShift(till.deps, { cashierId: CASHIER.id, openingFloat: -1 })).toMatchObject({
      ok: false,
      error: { field: 'openingFloat' },
    });
    expect(openShift(till.deps, { cashierId: CASHIER.id, openingFloat: 10.5 })).toMatchObject({
      ok: false,
      error: { field: 'openingFloat' },
    });
    expect(openShift(till.deps, { cashierId: 'nobody', openingFloat: 0 })).toMatchObject({
      ok: false,
      error: { code: 'unknown-staff', field: 'cashierId' },
    });
  });

  it('close with cash counted by denomination and a Z report that adds up', () => {
    const shift = must(openShift(till.deps, { cashierId: CASHIER.id, openingFloat: taka(2000) }));
    // 1: cash ৳190, paid with ৳500 → ৳310 change.
    let d = must(addLine(till.deps, must(startSale(till.deps, { shiftId: shift.id })), { barcode: bc(PRODUCTS.oil) }));
    d = must(addPayment(d, { method: 'cash', amount: taka(500) }));
    must(completeSale(till.deps, d));
    // 2: split card ৳200 + bKash ৳60 for tea ৳260.
    d = must(addLine(till.deps, must(startSale(till.deps, { shiftId: shift.id })), { barcode: bc(PRODUCTS.tea) }));
    d = must(addPayment(d, { method: 'card', amount: taka(200), reference: 'APPR77' }));
    d = must(addPayment(d, { method: 'bkash', amount: taka(60), reference: 'BK12345678' }));
    must(completeSale(till.deps, d));
    // 3: cash ৳110, voided.
    const voided = ringCashSale(till.deps, shift.id, [{ barcode: bc(PRODUCTS.soap), quantity: qty(2) }]);
    must(voidSale(till.deps, { receiptNo: voided.receiptNo, managerPin: MANAGER.pin, reason: 'wrong item' }));
    // 4: cash ৳55, then refunded in cash.
    const refunded = ringCashSale(till.deps, shift.id, [{ barcode: bc(PRODUCTS.soap) }]);
    must(
      refundSale(till.deps, {
        receiptNo: refunded.receiptNo,
        lines: 'all',
        method: 'cash',
        managerPin: MANAGER.pin,
        reason: 'torn wrapper',
      }),
    );

    const z = must(
      closeShift(till.deps, {
        shiftId: shift.id,
        closedBy: CASHIER.id,
        denominations: { '1000': 2, '100': 1, '50': 1, '20': 2 },
      }),
    );
    expect(z).toEqual({
      salesCount: 3,
      subtotal: taka(190 + 260 + 55),
      discountTotal: 0,
      vatTotal: z.vatTotal,
      netSales: taka(505),
      salesByMethod: { cash: taka(245), card: taka(200), bkash: taka(60), nagad: 0 },
      voidsCount: 1,
      voidsTotal: taka(110),
      refundsCount: 1,
      refundsTotal: taka(55),
      refundsByMethod: { cash: taka(55), card: 0, bkash: 0, nagad: 0 },
      openingFloat: taka(2000),
      cashIn: taka(245),
      cashOut: taka(55),
      expectedCash: taka(2190),
      countedCash: taka(2190),
      difference: 0,
    });
    const closed = readOutbox(till.deps.db).at(-1)!;
    const event = must(parseEvent(JSON.parse(closed.body)));
    expect(event.type === 'shift.closed' && event.payload.z).toEqual(z);
    expect(event.type === 'shift.closed' && event.payload.denominations).toEqual({
      '1000': 2,
      '100': 1,
      '50': 1,
      '20': 2,
    });
  });

  it('report a shortage as a negative difference', () => {
    const shift = must(openShift(till.deps, { cashierId: CASHIER.id, openingFloat: taka(1000) }));
    const z = must(
      closeShift(till.deps, {
        shiftId: shift.id,
        closedBy: CASHIER.id,
        denominations: { '500': 1, '200': 2, '50': 1 },
      }),
    );
    expect(z).toMatchObject({ expectedCash: taka(1000), countedCash: taka(950), difference: -taka(50) });
  });

  it('refuse unknown notes, bad counts, and closing twice', () => {
    const shift = must(openShift(till.deps, { cashierId: CASHIER.id, openingFloat: 0 }));
    expect(
      closeShift(till.deps, { shiftId: shift.id, closedBy: CASHIER.id, denominations: { '300': 1 } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid-denomination', field: 'denominations.300' },
    });
    expect(
      closeShift(till.deps, { shiftId: shift.id, closedBy: CASHIER.id, denominations: { '100': -2 } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid-count', field: 'denominations.100' },
    });
    must(closeShift(till.deps, { shiftId: shift.id, closedBy: CASHIER.id, denominations: {} }));
    expect(closeShift(till.deps, { shiftId: shift.id, closedBy: CASHIER.id, denominations: {} })).toMatchObject({
      ok: false,
      error: { code: 'shift-not-open' },
    });
  });
});
