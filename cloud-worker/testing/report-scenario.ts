import { randomUUID } from 'node:crypto';
import { createIdFactory } from '../../shared/ids';
import { poisha } from '../../shared/money';
import { priceCart, refundShare } from '../../shared/pricing';
import type { Milli } from '../../shared/quantity';
import type { PaymentMethod } from '../../shared/tender';
import { vatRate } from '../../shared/vat';
import type { SalesBatch } from '../../shared/wire/batch';
import type { TillEvent } from '../../shared/wire/events';
import type { Database } from '../db/database';
import { masterDataChange, upsertProduct, upsertStaff } from '../repositories/master-data-repository';
import type { CloudFixture, ProvisionedTestTill } from './cloud-fixture';
import { drain, sendBatches } from './cloud-fixture';
import { batchOf } from './batches';

/**
 * A small chain's three days of trading, known to the poisha, for the report
 * tests: two branches, three tills, sales on both sides of a Dhaka midnight,
 * a void, a partial refund, a split payment with change, line and cart
 * discounts, an exclusive-VAT product, and a price rise that one till had not
 * pulled yet. Everything goes in through the queue and the worker, as a till
 * would send it. The tests compute what the reports must say from the
 * objects kept here, not from the database.
 */

/** A Dhaka wall-clock time as Unix ms. */
export const dhaka = (day: string, time: string) => Date.parse(`${day}T${time}:00+06:00`);

export interface ScenarioProduct {
  readonly id: string;
  readonly sku: string;
  readonly nameEn: string;
  readonly category: string;
  readonly unit: 'piece' | 'kg';
  readonly vatRate: number;
  readonly vatMode: 'inclusive' | 'exclusive';
  /** Prices in effect, oldest first, from the given time. */
  readonly prices: readonly { readonly from: number; readonly price: number }[];
}

export interface ScenarioStaff {
  readonly id: string;
  readonly branch: string;
  readonly code: string;
  readonly name: string;
  readonly role: 'cashier' | 'manager';
}

export interface ScenarioLine {
  readonly lineNo: number;
  readonly product: ScenarioProduct;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly vatRate: number;
  readonly lineDiscount: number;
  readonly discountApprovedBy: string | null;
  readonly gross: number;
  readonly cartDiscountShare: number;
  readonly net: number;
  readonly vat: number;
}

export interface ScenarioSale {
  readonly id: string;
  readonly branch: string;
  readonly till: number;
  readonly receiptNo: string;
  readonly cashier: ScenarioStaff;
  readonly at: number;
  readonly lines: readonly ScenarioLine[];
  readonly cartDiscount: number;
  readonly cartDiscountApprovedBy: string | null;
  readonly subtotal: number;
  readonly discountTotal: number;
  readonly vatTotal: number;
  readonly total: number;
  readonly payments: readonly { method: PaymentMethod; amount: number; reference: string | null }[];
  readonly change: number;
}

export interface ScenarioVoid {
  readonly sale: ScenarioSale;
  readonly at: number;
  readonly branch: string;
  readonly cashier: ScenarioStaff;
  readonly manager: ScenarioStaff;
}

export interface ScenarioRefund {
  readonly sale: ScenarioSale;
  readonly at: number;
  readonly branch: string;
  readonly method: PaymentMethod;
  readonly cashier: ScenarioStaff;
  readonly manager: ScenarioStaff;
  readonly lines: readonly {
    lineNo: number;
    product: ScenarioProduct;
    quantity: number;
    amount: number;
    vat: number;
  }[];
  readonly total: number;
  readonly vatTotal: number;
}

export interface ScenarioShift {
  readonly branch: string;
  readonly till: number;
  readonly cashier: ScenarioStaff;
  readonly openedAt: number;
  readonly openingFloat: number;
  readonly closedAt: number | null;
  readonly expectedCash: number;
  readonly countedCash: number;
  readonly salesCount: number;
  readonly netSales: number;
}

export interface ReportScenario {
  readonly products: readonly ScenarioProduct[];
  readonly staff: readonly ScenarioStaff[];
  readonly sales: readonly ScenarioSale[];
  readonly voids: readonly ScenarioVoid[];
  readonly refunds: readonly ScenarioRefund[];
  readonly shifts: readonly ScenarioShift[];
  /** The days the tests ask about; one more sale falls the day after. */
  readonly from: string;
  readonly to: string;
}

const D1 = '2026-10-01';
const D2 = '2026-10-02';
const D3 = '2026-10-03';
const D4 = '2026-10-04';

function product(
  sku: string,
  nameEn: string,
  category: string,
  unit: 'piece' | 'kg',
  rate: number,
  mode: 'inclusive' | 'exclusive',
  prices: { from: number; price: number }[],
): ScenarioProduct {
  return { id: randomUUID(), sku, nameEn, category, unit, vatRate: rate, vatMode: mode, prices };
}

function staff(branch: string, code: string, name: string, role: 'cashier' | 'manager' = 'cashier'): ScenarioStaff {
  return { id: randomUUID(), branch, code, name, role };
}

/** The scenario's facts; ids are made here, so each call is a new chain. */
export function reportScenario(): ReportScenario {
  const rice = product('RICE5', 'Miniket rice', 'grocery', 'kg', 500, 'inclusive', [
    { from: dhaka('2026-09-01', '09:00'), price: 12_000 },
  ]);
  const soap = product('SOAP1', 'Lux soap', 'toiletries', 'piece', 1500, 'inclusive', [
    { from: dhaka('2026-09-01', '09:00'), price: 5_000 },
    { from: dhaka(D2, '12:00'), price: 5_500 },
  ]);
  const pen = product('PEN01', 'Gel pen', 'stationery', 'piece', 750, 'exclusive', [
    { from: dhaka('2026-09-01', '09:00'), price: 2_000 },
  ]);
  const rahim = staff('DHK01', '101', 'Rahim');
  const karim = staff('DHK01', '102', 'Karim');
  const nasrin = staff('DHK01', '900', 'Nasrin', 'manager');
  const salma = staff('CTG01', '201', 'Salma');

  const receipts = new Map<string, number>();
  const ids = createIdFactory(() => dhaka(D1, '00:00'));
  const sale = (
    branch: string,
    till: number,
    cashier: ScenarioStaff,
    at: number,
    items: { product: ScenarioProduct; quantity: number; unitPrice: number; lineDiscount?: number }[],
    pay: { method: PaymentMethod; amount: number; reference?: string }[] | PaymentMethod,
    cart: { discount: number; approvedBy: string | null } = { discount: 0, approvedBy: null },
  ): ScenarioSale => {
    const priced = priceCart(
      items.map((i) => ({
        unitPrice: poisha(i.unitPrice),
        quantity: i.quantity as Milli,
        vatRate: vatRate(i.product.vatRate),
        vatMode: i.product.vatMode,
        lineDiscount: poisha(i.lineDiscount ?? 0),
      })),
      poisha(cart.discount),
    );
    const key = `${branch}-${till}`;
    const n = (receipts.get(key) ?? 0) + 1;
    receipts.set(key, n);
    const payments =
      typeof pay === 'string'
        ? [{ method: pay, amount: priced.total, reference: pay === 'cash' ? null : 'REF12345678' }]
        : pay.map((p) => ({ method: p.method, amount: p.amount, reference: p.reference ?? null }));
    const paid = payments.reduce((s, p) => s + p.amount, 0);
    return {
      id: ids.sale(),
      branch,
      till,
      receiptNo: `${branch}-${till}-${String(n).padStart(6, '0')}`,
      cashier,
      at,
      lines: items.map((i, k) => ({
        lineNo: k + 1,
        product: i.product,
        quantity: i.quantity,
        unitPrice: i.unitPrice,
        vatRate: i.product.vatRate,
        lineDiscount: i.lineDiscount ?? 0,
        discountApprovedBy: i.lineDiscount ? nasrin.id : null,
        gross: priced.lines[k]!.gross,
        cartDiscountShare: priced.lines[k]!.cartDiscountShare,
        net: priced.lines[k]!.net,
        vat: priced.lines[k]!.vat,
      })),
      cartDiscount: cart.discount,
      cartDiscountApprovedBy: cart.approvedBy,
      subtotal: priced.subtotal,
      discountTotal: priced.discountTotal,
      vatTotal: priced.vatTotal,
      total: priced.total,
      payments,
      change: paid - priced.total,
    };
  };

  const s1 = sale(
    'DHK01',
    1,
    rahim,
    dhaka(D1, '10:00'),
    [
      { product: rice, quantity: 2_000, unitPrice: 12_000 },
      { product: soap, quantity: 1_000, unitPrice: 5_000 },
    ],
    'cash',
  );
  // 23:59 and 00:01 Dhaka: two business days, one UTC day.
  const s2 = sale(
    'DHK01',
    1,
    rahim,
    dhaka(D1, '23:59'),
    [
      { product: soap, quantity: 2_000, unitPrice: 5_000, lineDiscount: 500 },
      { product: rice, quantity: 1_250, unitPrice: 12_000 },
    ],
    [
      { method: 'card', amount: 10_000, reference: 'AB12CD' },
      { method: 'cash', amount: 15_000 },
    ],
    { discount: 300, approvedBy: nasrin.id },
  );
  const s3 = sale(
    'DHK01',
    1,
    karim,
    dhaka(D2, '00:01'),
    [{ product: pen, quantity: 3_000, unitPrice: 2_000 }],
    'bkash',
  );
  const s4 = sale(
    'DHK01',
    2,
    karim,
    dhaka(D2, '11:00'),
    [{ product: rice, quantity: 1_500, unitPrice: 12_000 }],
    'cash',
  );
  // After the rise at 12:00, till 1 had not pulled it yet.
  const s5 = sale(
    'DHK01',
    1,
    rahim,
    dhaka(D2, '13:00'),
    [{ product: soap, quantity: 1_000, unitPrice: 5_000 }],
    'cash',
  );
  const s6 = sale(
    'DHK01',
    2,
    karim,
    dhaka(D2, '14:00'),
    [{ product: soap, quantity: 2_000, unitPrice: 5_500 }],
    'nagad',
  );
  const s7 = sale(
    'CTG01',
    1,
    salma,
    dhaka(D1, '12:00'),
    [
      { product: rice, quantity: 1_000, unitPrice: 12_000 },
      { product: pen, quantity: 1_000, unitPrice: 2_000 },
    ],
    'card',
  );
  const s8 = sale(
    'CTG01',
    1,
    salma,
    dhaka(D4, '10:00'),
    [{ product: soap, quantity: 1_000, unitPrice: 5_000 }],
    'cash',
  );

  const v1: ScenarioVoid = { sale: s4, at: dhaka(D2, '11:05'), branch: 'DHK01', cashier: karim, manager: nasrin };
  const soldSoap = s2.lines[0]!;
  const share = refundShare(
    { quantity: soldSoap.quantity as Milli, net: poisha(soldSoap.net), vat: poisha(soldSoap.vat) },
    0 as Milli,
    1_000 as Milli,
  );
  const r1: ScenarioRefund = {
    sale: s2,
    at: dhaka(D3, '09:00'),
    branch: 'DHK01',
    method: 'cash',
    cashier: rahim,
    manager: nasrin,
    lines: [{ lineNo: 1, product: soap, quantity: 1_000, amount: share.amount, vat: share.vat }],
    total: share.amount,
    vatTotal: share.vat,
  };
  const shift: ScenarioShift = {
    branch: 'DHK01',
    till: 1,
    cashier: rahim,
    openedAt: dhaka(D1, '08:00'),
    openingFloat: 100_000,
    closedAt: dhaka(D3, '20:00'),
    expectedCash: 150_000,
    countedCash: 149_800,
    salesCount: 4,
    netSales: 70_000,
  };
  return {
    products: [rice, soap, pen],
    staff: [rahim, karim, nasrin, salma],
    sales: [s1, s2, s3, s4, s5, s6, s7, s8],
    voids: [v1],
    refunds: [r1],
    shifts: [shift],
    from: D1,
    to: D3,
  };
}

/** The catalog as head office set it up, prices taking effect at the scenario's times. */
export async function seedProducts(db: Database, s: ReportScenario): Promise<void> {
  for (const p of s.products) {
    for (const [i, price] of p.prices.entries()) {
      await masterDataChange(db, (tx, seq) =>
        upsertProduct(tx, seq, {
          id: p.id,
          sku: p.sku,
          nameEn: p.nameEn,
          nameBn: p.nameEn,
          category: p.category,
          unit: p.unit,
          price: price.price,
          vatRate: p.vatRate,
          vatMode: p.vatMode,
          active: true,
          barcodes: [`89400000${String(i)}${p.sku}`],
        }),
      );
      // The change's time as it happened in the story, not as the test ran.
      await db.query(
        'UPDATE price_history SET changed_at = to_timestamp($2 / 1000.0) WHERE product_id = $1 AND price = $3',
        [p.id, price.from, price.price],
      );
    }
  }
}

/** Cashiers and managers; their branches must exist. */
export async function seedStaff(db: Database, s: ReportScenario): Promise<void> {
  for (const m of s.staff) {
    await masterDataChange(db, (tx, seq) =>
      upsertStaff(tx, seq, m.branch, {
        id: m.id,
        code: m.code,
        name: m.name,
        role: m.role,
        active: true,
        pinHash: 'scrypt$16384$8$1$c2FsdA$aGFzaA',
      }),
    );
  }
}

/** Each till's events in the order it made them. */
export function scenarioEvents(s: ReportScenario): Map<string, TillEvent[]> {
  const ids = createIdFactory(() => dhaka(s.from, '00:00'));
  const byTill = new Map<string, { at: number; make: (seq: number) => TillEvent }[]>();
  const add = (branch: string, till: number, at: number, make: (seq: number) => TillEvent) => {
    const key = `${branch}:${till}`;
    byTill.set(key, [...(byTill.get(key) ?? []), { at, make }]);
  };
  const shiftIds = new Map<string, string>();
  const shiftOf = (branch: string, till: number) => {
    const key = `${branch}:${till}`;
    if (!shiftIds.has(key)) shiftIds.set(key, ids.shift());
    return shiftIds.get(key)!;
  };
  for (const sh of s.shifts) {
    const shiftId = shiftOf(sh.branch, sh.till);
    add(sh.branch, sh.till, sh.openedAt, (seq) => ({
      seq,
      id: ids.event(),
      v: 1,
      at: sh.openedAt,
      type: 'shift.opened',
      payload: { shiftId, cashierId: sh.cashier.id, openingFloat: sh.openingFloat, openedAt: sh.openedAt },
    }));
    if (sh.closedAt !== null) {
      const closedAt = sh.closedAt;
      add(sh.branch, sh.till, closedAt, (seq) => ({
        seq,
        id: ids.event(),
        v: 1,
        at: closedAt,
        type: 'shift.closed',
        payload: {
          shiftId,
          cashierId: sh.cashier.id,
          closedBy: sh.cashier.id,
          openedAt: sh.openedAt,
          closedAt,
          denominations: { '1000': 149, '500': 1 },
          z: {
            salesCount: sh.salesCount,
            subtotal: sh.netSales,
            discountTotal: 0,
            vatTotal: 0,
            netSales: sh.netSales,
            salesByMethod: { cash: sh.netSales, card: 0, bkash: 0, nagad: 0 },
            voidsCount: 0,
            voidsTotal: 0,
            refundsCount: 0,
            refundsTotal: 0,
            refundsByMethod: { cash: 0, card: 0, bkash: 0, nagad: 0 },
            openingFloat: sh.openingFloat,
            cashIn: 0,
            cashOut: 0,
            expectedCash: sh.expectedCash,
            countedCash: sh.countedCash,
            difference: sh.countedCash - sh.expectedCash,
          },
        },
      }));
    }
  }
  for (const sale of s.sales) {
    add(sale.branch, sale.till, sale.at, (seq) => ({
      seq,
      id: ids.event(),
      v: 1,
      at: sale.at,
      type: 'sale.completed',
      payload: {
        saleId: sale.id,
        receiptNo: sale.receiptNo,
        shiftId: shiftOf(sale.branch, sale.till),
        cashierId: sale.cashier.id,
        startedAt: sale.at - 60_000,
        completedAt: sale.at,
        lines: sale.lines.map((l) => ({
          lineNo: l.lineNo,
          productId: l.product.id,
          barcode: null,
          nameEn: l.product.nameEn,
          nameBn: l.product.nameEn,
          unit: l.product.unit,
          quantity: l.quantity,
          unitPrice: l.unitPrice,
          vatRate: l.vatRate,
          vatMode: l.product.vatMode,
          gross: l.gross,
          lineDiscount: l.lineDiscount,
          cartDiscountShare: l.cartDiscountShare,
          net: l.net,
          vat: l.vat,
          discountApprovedBy: l.discountApprovedBy,
        })),
        subtotal: sale.subtotal,
        cartDiscount: sale.cartDiscount,
        cartDiscountApprovedBy: sale.cartDiscountApprovedBy,
        discountTotal: sale.discountTotal,
        vatTotal: sale.vatTotal,
        total: sale.total,
        payments: [...sale.payments],
        cashReceived: sale.payments.filter((p) => p.method === 'cash').reduce((t, p) => t + p.amount, 0),
        change: sale.change,
      },
    }));
  }
  for (const v of s.voids) {
    add(v.branch, v.sale.till, v.at, (seq) => ({
      seq,
      id: ids.event(),
      v: 1,
      at: v.at,
      type: 'sale.voided',
      payload: {
        voidId: ids.void(),
        saleId: v.sale.id,
        receiptNo: v.sale.receiptNo,
        shiftId: shiftOf(v.branch, v.sale.till),
        cashierId: v.cashier.id,
        managerId: v.manager.id,
        reason: 'customer changed mind',
        voidedAt: v.at,
      },
    }));
  }
  for (const r of s.refunds) {
    add(r.branch, r.sale.till, r.at, (seq) => ({
      seq,
      id: ids.event(),
      v: 1,
      at: r.at,
      type: 'sale.refunded',
      payload: {
        refundId: ids.refund(),
        saleId: r.sale.id,
        receiptNo: r.sale.receiptNo,
        shiftId: shiftOf(r.branch, r.sale.till),
        cashierId: r.cashier.id,
        managerId: r.manager.id,
        method: r.method,
        reference: null,
        lines: r.lines.map((l) => ({
          lineNo: l.lineNo,
          productId: l.product.id,
          quantity: l.quantity,
          amount: l.amount,
          vat: l.vat,
        })),
        total: r.total,
        vatTotal: r.vatTotal,
        reason: 'damaged',
        refundedAt: r.at,
      },
    }));
  }
  const events = new Map<string, TillEvent[]>();
  for (const [key, list] of byTill) {
    events.set(
      key,
      [...list].sort((a, b) => a.at - b.at).map((e, i) => e.make(i + 1)),
    );
  }
  return events;
}

/**
 * Provisions the tills, seeds master data and sends every till's events
 * through the queue in batches of `perBatch`, then drains the queue.
 */
export async function ingestScenario(f: CloudFixture, s: ReportScenario, perBatch = 2): Promise<void> {
  await seedProducts(f.t.db, s);
  const { queue, consumer } = await f.newQueue();
  const byTill = scenarioEvents(s);
  const tills = new Map<string, ProvisionedTestTill>();
  for (const key of byTill.keys()) {
    const [branch, till] = key.split(':') as [string, string];
    tills.set(key, await f.addTill(branch, Number(till)));
  }
  await seedStaff(f.t.db, s);
  for (const [key, events] of byTill) {
    const till = tills.get(key)!;
    const batches: SalesBatch[] = [];
    for (let i = 0; i < events.length; i += perBatch) batches.push(batchOf(till, events.slice(i, i + perBatch)));
    await sendBatches(queue, till.signer, batches);
  }
  const { rejected } = await drain(consumer);
  if (rejected > 0) throw new Error(`${rejected} scenario messages were rejected`);
}
