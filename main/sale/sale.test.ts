import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { taka } from '../../shared/money';
import { qty } from '../../shared/quantity';
import { priceDraft, type SaleDraft } from '../../shared/sale-draft';
import { parseEvent } from '../../shared/wire/events';
import { stockOf } from '../store/catalog';
import { outboxCounts, readOutbox } from '../store/outbox';
import { getSaleByReceipt } from '../store/sales';
import { setBranchSettings } from '../store/till';
import { DEFAULT_BRANCH_SETTINGS } from '../../shared/settings';
import { openShift } from '../shift/open-shift';
import { CASHIER, MANAGER, PRODUCTS, tempTill, type TempTill } from '../testing/fixtures';
import { must, ringCashSale } from '../testing/ring';
import { completeSale } from './complete-sale';
import { setCartDiscount, setLineDiscount } from './discounts';
import { addLine, changeQuantity, removeLine } from './edit-lines';
import { startSale } from './start-sale';
import { addPayment, removePayment } from './tender';

let till: TempTill;
let shiftId: string;
const bc = (p: { barcodes: readonly string[] }) => p.barcodes[0]!;

beforeEach(() => {
  till = tempTill();
  shiftId = must(openShift(till.deps, { cashierId: CASHIER.id, openingFloat: taka(2000) })).id;
});
afterEach(() => till.cleanup());

function draft(): SaleDraft {
  return must(startSale(till.deps, { shiftId }));
}

describe('ringing up a sale', () => {
  it('completes a sale with its lines, payment, stock movements and one outbox event, atomically', () => {
    let d = draft();
    d = must(addLine(till.deps, d, { barcode: bc(PRODUCTS.oil) }));
    d = must(addLine(till.deps, d, { barcode: bc(PRODUCTS.soap), quantity: qty(3) }));
    d = must(addLine(till.deps, d, { barcode: bc(PRODUCTS.rice), quantity: qty(2.5) }));
    expect(priceDraft(d).total).toBe(19_000 + 16_500 + 19_500);
    d = must(addPayment(d, { method: 'cash', amount: taka(1000) }));
    const before = outboxCounts(till.deps.db).lastSeq;
    const done = must(completeSale(till.deps, d));

    expect(done.receiptNo).toBe('DHK01-2-000001');
    expect(done.change).toBe(taka(1000) - 55_000);
    const sale = getSaleByReceipt(till.deps.db, done.receiptNo)!;
    expect(sale.lines.map((l) => [l.nameEn, l.quantity, l.net])).toEqual([
      ['Rupchanda Soybean Oil 1L', 1000, 19_000],
      ['Lux Soap 100g', 3000, 16_500],
      ['Miniket Rice', 2500, 19_500],
    ]);
    expect(sale.lines.reduce((s, l) => s + l.net, 0)).toBe(sale.total);
    expect(sale.lines.reduce((s, l) => s + l.vat, 0)).toBe(sale.vatTotal);
    expect(stockOf(till.deps.db, PRODUCTS.rice.id)).toBe(-2500);

    const outbox = readOutbox(till.deps.db, before + 1);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]!.seq).toBe(done.outboxSeq);
    const event = must(parseEvent(JSON.parse(outbox[0]!.body)));
    expect(event.type).toBe('sale.completed');
    expect(event.type === 'sale.completed' && event.payload.receiptNo).toBe(done.receiptNo);
  });

  it('numbers receipts and outbox events without gaps, even when a completion is refused', () => {
    const first = ringCashSale(till.deps, shiftId, [{ barcode: bc(PRODUCTS.tea) }]);
    let short = must(addLine(till.deps, draft(), { barcode: bc(PRODUCTS.tea) }));
    short = must(addPayment(short, { method: 'cash', amount: taka(100) }));
    expect(completeSale(till.deps, short)).toMatchObject({
      ok: false,
      error: { code: 'tender-short', field: 'payments' },
    });
    const second = ringCashSale(till.deps, shiftId, [{ barcode: bc(PRODUCTS.tea) }]);
    expect([first.receiptNo, second.receiptNo]).toEqual(['DHK01-2-000001', 'DHK01-2-000002']);
    expect(second.outboxSeq).toBe(first.outboxSeq + 1);
  });

  it('adds a repeated scan of a counted item to its line; loose goods get a line per weighing', () => {
    let d = draft();
    d = must(addLine(till.deps, d, { barcode: bc(PRODUCTS.soap) }));
    d = must(addLine(till.deps, d, { barcode: bc(PRODUCTS.soap) }));
    d = must(addLine(till.deps, d, { barcode: bc(PRODUCTS.rice), quantity: qty(1.2) }));
    d = must(addLine(till.deps, d, { barcode: bc(PRODUCTS.rice), quantity: qty(0.8) }));
    expect(d.lines.map((l) => [l.nameEn, l.quantity])).toEqual([
      ['Lux Soap 100g', 2000],
      ['Miniket Rice', 1200],
      ['Miniket Rice', 800],
    ]);
  });

  it('edits quantities and removes lines', () => {
    let d = draft();
    d = must(addLine(till.deps, d, { barcode: bc(PRODUCTS.oil) }));
    d = must(addLine(till.deps, d, { productId: PRODUCTS.lentils.id, quantity: qty(0.5) }));
    d = must(changeQuantity(d, { lineNo: 1, quantity: qty(4) }));
    expect(priceDraft(d).total).toBe(4 * 19_000 + 6_750);
    d = must(removeLine(d, { lineNo: 2 }));
    expect(d.lines.map((l) => l.nameEn)).toEqual(['Rupchanda Soybean Oil 1L']);
    expect(removeLine(d, { lineNo: 7 })).toMatchObject({ ok: false, error: { code: 'unknown-line', field: 'lineNo' } });
  });

  it('keeps the price a line was scanned at when head office changes it mid-sale', async () => {
    let d = must(addLine(till.deps, draft(), { barcode: bc(PRODUCTS.oil) }));
    const { upsertProduct } = await import('../store/catalog');
    upsertProduct(till.deps.db, { ...PRODUCTS.oil, price: taka(210) }, till.deps.now());
    d = must(addPayment(d, { method: 'cash', amount: taka(190) }));
    const done = must(completeSale(till.deps, d));
    expect(getSaleByReceipt(till.deps.db, done.receiptNo)!.total).toBe(taka(190));
  });

  it('takes split tenders: card, bKash and cash with change', () => {
    let d = must(addLine(till.deps, draft(), { barcode: bc(PRODUCTS.tea), quantity: qty(2) }));
    d = must(addPayment(d, { method: 'card', amount: taka(200), reference: 'a1b2c3' }));
    d = must(addPayment(d, { method: 'bkash', amount: taka(200), reference: '8N7A6D5X4C' }));
    expect(addPayment(d, { method: 'nagad', amount: taka(200), reference: 'NG12345678' })).toMatchObject({
      ok: false,
      error: { code: 'non-cash-over-total', field: 'amount' },
    });
    d = must(addPayment(d, { method: 'cash', amount: taka(500) }));
    const done = must(completeSale(till.deps, d));
    expect(done.change).toBe(taka(380));
    expect(getSaleByReceipt(till.deps.db, done.receiptNo)!.payments).toEqual([
      { method: 'card', amount: taka(200), reference: 'A1B2C3' },
      { method: 'bkash', amount: taka(200), reference: '8N7A6D5X4C' },
      { method: 'cash', amount: taka(500), reference: null },
    ]);
  });

  it('removes a payment', () => {
    let d = must(addLine(till.deps, draft(), { barcode: bc(PRODUCTS.tea) }));
    d = must(addPayment(d, { method: 'cash', amount: taka(100) }));
    d = must(removePayment(d, { index: 0 }));
    expect(d.payments).toEqual([]);
    expect(removePayment(d, { index: 0 })).toMatchObject({ ok: false, error: { code: 'unknown-payment' } });
  });
});

describe('refusals leave the cart and the database as they were', () => {
  it('unknown barcode', () => {
    const d = must(addLine(till.deps, draft(), { barcode: bc(PRODUCTS.oil) }));
    const r = addLine(till.deps, d, { barcode: '4000000000000' });
    expect(r).toMatchObject({ ok: false, error: { code: 'unknown-barcode', field: 'barcode' } });
    expect(d.lines).toHaveLength(1);
  });

  it.each([
    [-1000, /more than zero/],
    [0, /more than zero/],
    [1500, /whole number/],
    [1.5, /thousandths/],
  ])('quantity %s', (quantity, reason) => {
    const r = addLine(till.deps, draft(), { barcode: bc(PRODUCTS.oil), quantity });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-quantity', field: 'quantity' } });
    expect(!r.ok && r.error.reason).toMatch(reason);
  });

  it('tender short of the total', () => {
    let d = must(addLine(till.deps, draft(), { barcode: bc(PRODUCTS.oil) }));
    d = must(addPayment(d, { method: 'cash', amount: taka(100) }));
    const before = outboxCounts(till.deps.db);
    expect(completeSale(till.deps, d)).toMatchObject({ ok: false, error: { code: 'tender-short' } });
    expect(outboxCounts(till.deps.db)).toEqual(before);
  });

  it('an empty sale', () => {
    expect(completeSale(till.deps, draft())).toMatchObject({
      ok: false,
      error: { code: 'empty-sale', field: 'lines' },
    });
    expect(addPayment(draft(), { method: 'cash', amount: 100 })).toMatchObject({
      ok: false,
      error: { code: 'empty-sale' },
    });
  });

  it('completing the same sale twice', () => {
    let d = must(addLine(till.deps, draft(), { barcode: bc(PRODUCTS.soap) }));
    d = must(addPayment(d, { method: 'cash', amount: taka(55) }));
    must(completeSale(till.deps, d));
    expect(completeSale(till.deps, d)).toMatchObject({ ok: false, error: { code: 'already-completed' } });
    expect(outboxCounts(till.deps.db).lastSeq).toBe(2);
  });

  it('a closed shift', async () => {
    let d = must(addLine(till.deps, draft(), { barcode: bc(PRODUCTS.soap) }));
    d = must(addPayment(d, { method: 'cash', amount: taka(55) }));
    const { closeShift } = await import('../shift/close-shift');
    must(closeShift(till.deps, { shiftId, closedBy: CASHIER.id, denominations: { '1000': 2 } }));
    expect(completeSale(till.deps, d)).toMatchObject({
      ok: false,
      error: { code: 'shift-not-open', field: 'shiftId' },
    });
    expect(startSale(till.deps, { shiftId })).toMatchObject({ ok: false, error: { code: 'no-open-shift' } });
  });

  it('a failure inside the transaction writes nothing at all', () => {
    till.deps.db.exec(
      "CREATE TRIGGER fail_stock BEFORE INSERT ON stock_movements BEGIN SELECT RAISE(ABORT, 'disk says no'); END",
    );
    let d = must(addLine(till.deps, draft(), { barcode: bc(PRODUCTS.soap) }));
    d = must(addPayment(d, { method: 'cash', amount: taka(55) }));
    const before = outboxCounts(till.deps.db);
    expect(() => completeSale(till.deps, d)).toThrow(/disk says no/);
    expect(outboxCounts(till.deps.db)).toEqual(before);
    expect(till.deps.db.prepare('SELECT count(*) AS n FROM sales').get()).toEqual({ n: 0 });
    expect(till.deps.db.prepare("SELECT last FROM counters WHERE name = 'receipt'").get()).toEqual({ last: 0 });
    till.deps.db.exec('DROP TRIGGER fail_stock');
    expect(must(completeSale(till.deps, d)).receiptNo).toBe('DHK01-2-000001');
  });
});

describe('discounts', () => {
  beforeEach(() => setBranchSettings(till.deps.db, { ...DEFAULT_BRANCH_SETTINGS, maxDiscountWithoutManagerBps: 500 }));

  it('a cashier gives up to the branch limit alone', () => {
    let d = must(addLine(till.deps, draft(), { barcode: bc(PRODUCTS.oil) }));
    d = must(setLineDiscount(till.deps, d, { lineNo: 1, amount: 950 }));
    expect(d.lines[0]!.discountApprovedBy).toBeNull();
    expect(priceDraft(d).total).toBe(18_050);
  });

  it('above the limit needs a manager’s PIN, and records who approved', () => {
    let d = must(addLine(till.deps, draft(), { barcode: bc(PRODUCTS.oil) }));
    expect(setLineDiscount(till.deps, d, { lineNo: 1, percentBps: 1000 })).toMatchObject({
      ok: false,
      error: { code: 'manager-approval-required', field: 'managerPin' },
    });
    expect(setLineDiscount(till.deps, d, { lineNo: 1, percentBps: 1000, managerPin: CASHIER.pin })).toMatchObject({
      ok: false,
      error: { code: 'wrong-pin', field: 'managerPin' },
    });
    d = must(setLineDiscount(till.deps, d, { lineNo: 1, percentBps: 1000, managerPin: MANAGER.pin }));
    expect(d.lines[0]).toMatchObject({ lineDiscount: 1900, discountApprovedBy: MANAGER.id });
    d = must(addPayment(d, { method: 'cash', amount: taka(171) }));
    const done = must(completeSale(till.deps, d));
    expect(done.event.lines[0]).toMatchObject({ lineDiscount: 1900, discountApprovedBy: MANAGER.id, net: 17_100 });
  });

  it('a percentage cart discount follows the basket; an amount one is re-checked at completion', () => {
    let d = must(addLine(till.deps, draft(), { barcode: bc(PRODUCTS.tea), quantity: qty(2) }));
    d = must(setCartDiscount(till.deps, d, { percentBps: 500 }));
    expect(priceDraft(d).total).toBe(52_000 - 2_600);
    d = must(changeQuantity(d, { lineNo: 1, quantity: qty(1) }));
    expect(priceDraft(d).total).toBe(26_000 - 1_300);

    let e = must(addLine(till.deps, draft(), { barcode: bc(PRODUCTS.tea), quantity: qty(2) }));
    e = must(setCartDiscount(till.deps, e, { amount: 2_600 }));
    e = must(changeQuantity(e, { lineNo: 1, quantity: qty(1) }));
    e = must(addPayment(e, { method: 'cash', amount: taka(300) }));
    expect(completeSale(till.deps, e)).toMatchObject({
      ok: false,
      error: { code: 'manager-approval-required', field: 'cartDiscount' },
    });
  });

  it('refuses a discount larger than what it applies to', () => {
    const d = must(addLine(till.deps, draft(), { barcode: bc(PRODUCTS.soap) }));
    expect(setLineDiscount(till.deps, d, { lineNo: 1, amount: 5_501, managerPin: MANAGER.pin })).toMatchObject({
      ok: false,
      error: { code: 'invalid-discount', field: 'amount' },
    });
    expect(setCartDiscount(till.deps, d, { amount: -1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-discount', field: 'amount' },
    });
    expect(setCartDiscount(till.deps, d, { percentBps: 10_001 })).toMatchObject({
      ok: false,
      error: { field: 'percentBps' },
    });
  });

  it('refuses to shrink a line below its discount', () => {
    let d = must(addLine(till.deps, draft(), { barcode: bc(PRODUCTS.soap), quantity: qty(10) }));
    d = must(setLineDiscount(till.deps, d, { lineNo: 1, amount: 10_000, managerPin: MANAGER.pin }));
    expect(changeQuantity(d, { lineNo: 1, quantity: qty(1) })).toMatchObject({
      ok: false,
      error: { code: 'discount-exceeds-line' },
    });
  });
});
