import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { taka } from '../../shared/money';
import { qty } from '../../shared/quantity';
import { stockOf } from '../store/catalog';
import { readOutbox } from '../store/outbox';
import { getSaleByReceipt } from '../store/sales';
import { closeShift } from '../shift/close-shift';
import { openShift } from '../shift/open-shift';
import { CASHIER, MANAGER, PRODUCTS, tempTill, type TempTill } from '../testing/fixtures';
import { must, ringCashSale } from '../testing/ring';
import { completeSale } from './complete-sale';
import { setCartDiscount } from './discounts';
import { addLine } from './edit-lines';
import { refundSale } from './refund-sale';
import { startSale } from './start-sale';
import { addPayment } from './tender';
import { voidSale } from './void-sale';

let till: TempTill;
let shiftId: string;
const bc = (p: { barcodes: readonly string[] }) => p.barcodes[0]!;

beforeEach(() => {
  till = tempTill();
  shiftId = must(openShift(till.deps, { cashierId: CASHIER.id, openingFloat: taka(1000) })).id;
});
afterEach(() => till.cleanup());

function refundAllInCash(receiptNo: string) {
  return refundSale(till.deps, { receiptNo, lines: 'all', method: 'cash', managerPin: MANAGER.pin, reason: 'x' });
}

function newShift(): string {
  must(closeShift(till.deps, { shiftId, closedBy: CASHIER.id, denominations: {} }));
  shiftId = must(openShift(till.deps, { cashierId: CASHIER.id, openingFloat: taka(1000) })).id;
  return shiftId;
}

describe('voiding a sale', () => {
  it('with a manager’s PIN in the same shift: the sale stays on record, stock comes back, head office is told', () => {
    const sale = ringCashSale(till.deps, shiftId, [{ barcode: bc(PRODUCTS.soap), quantity: qty(2) }]);
    const v = must(
      voidSale(till.deps, { receiptNo: sale.receiptNo, managerPin: MANAGER.pin, reason: 'customer changed mind' }),
    );
    expect(v.managerId).toBe(MANAGER.id);
    expect(getSaleByReceipt(till.deps.db, sale.receiptNo)).toMatchObject({ voided: true, total: taka(110) });
    expect(stockOf(till.deps.db, PRODUCTS.soap.id)).toBe(0);
    expect(readOutbox(till.deps.db).at(-1)).toMatchObject({ type: 'sale.voided' });
  });

  it.each([
    ['wrong PIN', { managerPin: '0000' }, 'wrong-pin', 'managerPin'],
    ['a cashier’s PIN', { managerPin: CASHIER.pin }, 'wrong-pin', 'managerPin'],
    ['no PIN', { managerPin: '' }, 'manager-approval-required', 'managerPin'],
    ['no reason', { reason: ' ' }, 'invalid-reason', 'reason'],
    ['a malformed receipt number', { receiptNo: 'twelve' }, 'invalid-receipt-no', 'receiptNo'],
    ['an unknown receipt number', { receiptNo: 'DHK01-2-000999' }, 'receipt-not-found', 'receiptNo'],
  ])('refuses %s', (_name, change, code, field) => {
    const sale = ringCashSale(till.deps, shiftId, [{ barcode: bc(PRODUCTS.soap) }]);
    const r = voidSale(till.deps, { receiptNo: sale.receiptNo, managerPin: MANAGER.pin, reason: 'mistake', ...change });
    expect(r).toMatchObject({ ok: false, error: { code, field } });
    expect(getSaleByReceipt(till.deps.db, sale.receiptNo)!.voided).toBe(false);
  });

  it('refuses twice, after a refund, and in a later shift', () => {
    const a = ringCashSale(till.deps, shiftId, [{ barcode: bc(PRODUCTS.soap) }]);
    must(voidSale(till.deps, { receiptNo: a.receiptNo, managerPin: MANAGER.pin, reason: 'x' }));
    expect(voidSale(till.deps, { receiptNo: a.receiptNo, managerPin: MANAGER.pin, reason: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'already-voided' },
    });
    const b = ringCashSale(till.deps, shiftId, [{ barcode: bc(PRODUCTS.soap), quantity: qty(2) }]);
    must(
      refundSale(till.deps, {
        receiptNo: b.receiptNo,
        lines: [{ lineNo: 1, quantity: qty(1) }],
        method: 'cash',
        managerPin: MANAGER.pin,
        reason: 'x',
      }),
    );
    expect(voidSale(till.deps, { receiptNo: b.receiptNo, managerPin: MANAGER.pin, reason: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'sale-has-refunds' },
    });
    const c = ringCashSale(till.deps, shiftId, [{ barcode: bc(PRODUCTS.soap) }]);
    newShift();
    expect(voidSale(till.deps, { receiptNo: c.receiptNo, managerPin: MANAGER.pin, reason: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'void-outside-shift', field: 'receiptNo' },
    });
  });
});

describe('refunds', () => {
  it('refund part, then the rest, never more than was sold; amounts add up to what was paid', () => {
    let d = must(startSale(till.deps, { shiftId }));
    d = must(addLine(till.deps, d, { barcode: bc(PRODUCTS.soap), quantity: qty(3) }));
    d = must(addLine(till.deps, d, { barcode: bc(PRODUCTS.lentils), quantity: qty(1.333) }));
    d = must(setCartDiscount(till.deps, d, { amount: 1_001 }));
    d = must(addPayment(d, { method: 'cash', amount: taka(500) }));
    const sale = must(completeSale(till.deps, d));
    const refund = (lines: { lineNo: number; quantity: number }[] | 'all') =>
      refundSale(till.deps, {
        receiptNo: sale.receiptNo,
        lines,
        method: 'cash',
        managerPin: MANAGER.pin,
        reason: 'damaged',
      });

    const r1 = must(
      refund([
        { lineNo: 1, quantity: qty(1) },
        { lineNo: 2, quantity: qty(0.333) },
      ]),
    );
    expect(refund([{ lineNo: 1, quantity: qty(3) }])).toMatchObject({
      ok: false,
      error: { code: 'over-refund', field: 'lines[0].quantity' },
    });
    const r2 = must(refund('all'));
    expect(r2.lines.map((l) => [l.lineNo, l.quantity])).toEqual([
      [1, 2000],
      [2, 1000],
    ]);
    expect(r1.total + r2.total).toBe(sale.total);
    expect(r1.vatTotal + r2.vatTotal).toBe(sale.event.vatTotal);
    expect(refund('all')).toMatchObject({ ok: false, error: { code: 'fully-refunded' } });
    expect(refund([{ lineNo: 1, quantity: qty(1) }])).toMatchObject({ ok: false, error: { code: 'over-refund' } });
    expect(stockOf(till.deps.db, PRODUCTS.soap.id)).toBe(0);
    expect(getSaleByReceipt(till.deps.db, sale.receiptNo)!.refundedTotal).toBe(sale.total);
  });

  it('are given in a later shift too, and counted in that shift’s cash', () => {
    const sale = ringCashSale(till.deps, shiftId, [{ barcode: bc(PRODUCTS.tea) }]);
    const later = newShift();
    const r = must(
      refundSale(till.deps, {
        receiptNo: sale.receiptNo,
        lines: 'all',
        method: 'cash',
        managerPin: MANAGER.pin,
        reason: 'stale',
      }),
    );
    expect(r.shiftId).toBe(later);
    const z = must(
      closeShift(till.deps, { shiftId: later, closedBy: CASHIER.id, denominations: { '500': 1, '200': 1, '20': 2 } }),
    );
    expect(z).toMatchObject({
      refundsCount: 1,
      refundsTotal: taka(260),
      cashOut: taka(260),
      expectedCash: taka(740),
      countedCash: taka(740),
      difference: 0,
    });
  });

  it.each([
    ['a wrong manager PIN', { managerPin: '1111' }, 'wrong-pin', 'managerPin'],
    ['an unknown line', { lines: [{ lineNo: 9, quantity: 1000 }] }, 'unknown-line', 'lines[0].lineNo'],
    [
      'the same line twice',
      {
        lines: [
          { lineNo: 1, quantity: 1000 },
          { lineNo: 1, quantity: 1000 },
        ],
      },
      'duplicate-line',
      'lines[1].lineNo',
    ],
    ['a negative quantity', { lines: [{ lineNo: 1, quantity: -1000 }] }, 'invalid-quantity', 'lines[0].quantity'],
    ['part of a piece', { lines: [{ lineNo: 1, quantity: 500 }] }, 'invalid-quantity', 'lines[0].quantity'],
    ['no lines', { lines: [] }, 'invalid-lines', 'lines'],
    [
      'a method the sale was not paid with',
      { method: 'nagad' as const, reference: 'NG12345678' },
      'refund-method-not-used',
      'method',
    ],
    ['a card refund without an approval code', { method: 'card' as const }, 'invalid-reference', 'reference'],
  ])('refuse %s, writing nothing', (_name, change, code, field) => {
    let d = must(startSale(till.deps, { shiftId }));
    d = must(addLine(till.deps, d, { barcode: bc(PRODUCTS.soap), quantity: qty(2) }));
    d = must(addPayment(d, { method: 'card', amount: taka(110), reference: 'APPR01' }));
    const sale = must(completeSale(till.deps, d));
    const before = readOutbox(till.deps.db).length;
    const r = refundSale(till.deps, {
      receiptNo: sale.receiptNo,
      lines: [{ lineNo: 1, quantity: 1000 }],
      method: 'cash',
      managerPin: MANAGER.pin,
      reason: 'x',
      ...change,
    });
    expect(r).toMatchObject({ ok: false, error: { code, field } });
    expect(readOutbox(till.deps.db)).toHaveLength(before);
    expect(getSaleByReceipt(till.deps.db, sale.receiptNo)!.refundedTotal).toBe(0);
  });

  it('to the card the sale was paid with, carrying the approval code', () => {
    let d = must(startSale(till.deps, { shiftId }));
    d = must(addLine(till.deps, d, { barcode: bc(PRODUCTS.oil) }));
    d = must(addPayment(d, { method: 'card', amount: taka(190), reference: 'APPR01' }));
    const sale = must(completeSale(till.deps, d));
    const r = must(
      refundSale(till.deps, {
        receiptNo: sale.receiptNo,
        lines: 'all',
        method: 'card',
        reference: 'rf9911',
        managerPin: MANAGER.pin,
        reason: 'leaking',
      }),
    );
    expect(r).toMatchObject({ method: 'card', reference: 'RF9911', total: taka(190) });
  });

  it('refuses a voided sale', () => {
    const sale = ringCashSale(till.deps, shiftId, [{ barcode: bc(PRODUCTS.soap) }]);
    must(voidSale(till.deps, { receiptNo: sale.receiptNo, managerPin: MANAGER.pin, reason: 'x' }));
    expect(refundAllInCash(sale.receiptNo)).toMatchObject({
      ok: false,
      error: { code: 'sale-voided' },
    });
  });

  it('needs an open shift', () => {
    const sale = ringCashSale(till.deps, shiftId, [{ barcode: bc(PRODUCTS.soap) }]);
    must(closeShift(till.deps, { shiftId, closedBy: CASHIER.id, denominations: {} }));
    expect(refundAllInCash(sale.receiptNo)).toMatchObject({
      ok: false,
      error: { code: 'no-open-shift' },
    });
  });
});
