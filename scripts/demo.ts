/**
 * A short tour of a till: opens a store in a temp folder, opens a shift, rings
 * up a few sales (counted goods, loose goods by the kg, a discount, split
 * tender), refunds one item, closes the shift and prints what was recorded.
 */
import { formatQuantity, formatTaka } from '../shared/format';
import { taka } from '../shared/money';
import { qty } from '../shared/quantity';
import { addLine } from '../main/sale/edit-lines';
import { setCartDiscount } from '../main/sale/discounts';
import { addPayment } from '../main/sale/tender';
import { completeSale } from '../main/sale/complete-sale';
import { refundSale } from '../main/sale/refund-sale';
import { startSale } from '../main/sale/start-sale';
import { openShift } from '../main/shift/open-shift';
import { closeShift } from '../main/shift/close-shift';
import { recentSales } from '../main/store/sales';
import { outboxCounts, readOutbox } from '../main/store/outbox';
import { CASHIER, PRODUCTS, tempTill } from '../main/testing/fixtures';
import type { Result } from '../shared/result';
import { priceDraft, type SaleDraft } from '../shared/sale-draft';

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code} (${r.error.field}): ${r.error.reason}`);
  return r.value;
}

async function main(): Promise<void> {
  const till = tempTill();
  const { deps } = till;
  try {
    console.log(`Haat till ${till.id.branch}-${till.id.till}, database ${till.path}\n`);
    const shift = must(openShift(deps, { cashierId: CASHIER.id, openingFloat: taka(2000) }));

    const ring = (build: (d: SaleDraft) => SaleDraft) =>
      must(completeSale(deps, build(must(startSale(deps, { shiftId: shift.id })))));

    ring((d) => {
      d = must(addLine(deps, d, { barcode: PRODUCTS.oil.barcodes[0]! }));
      d = must(addLine(deps, d, { barcode: PRODUCTS.soap.barcodes[0]!, quantity: qty(3) }));
      return must(addPayment(d, { method: 'cash', amount: taka(500) }));
    });
    ring((d) => {
      d = must(addLine(deps, d, { barcode: PRODUCTS.rice.barcodes[0]!, quantity: qty(5) }));
      d = must(addLine(deps, d, { barcode: PRODUCTS.lentils.barcodes[0]!, quantity: qty(1.25) }));
      d = must(setCartDiscount(deps, d, { percentBps: 300 }));
      return must(addPayment(d, { method: 'bkash', amount: priceDraft(d).total, reference: 'BK7H3K9Q2M' }));
    });
    const third = ring((d) => {
      d = must(addLine(deps, d, { barcode: PRODUCTS.tea.barcodes[0]! }));
      d = must(addLine(deps, d, { barcode: PRODUCTS.egg.barcodes[0]!, quantity: qty(2) }));
      d = must(addPayment(d, { method: 'card', amount: taka(300), reference: 'A1B2C3' }));
      return must(addPayment(d, { method: 'cash', amount: taka(300) }));
    });
    must(
      refundSale(deps, {
        receiptNo: third.receiptNo,
        lines: [{ lineNo: 2, quantity: qty(1) }],
        method: 'cash',
        managerPin: '9876',
        reason: 'cracked eggs',
      }),
    );

    for (const sale of recentSales(deps.db).reverse()) {
      console.log(
        `${sale.receiptNo}  total ${formatTaka(sale.total)}  VAT ${formatTaka(sale.vatTotal)}  change ${formatTaka(sale.change)}`,
      );
      for (const l of sale.lines) {
        console.log(
          `    ${l.nameEn} / ${l.nameBn}  ${formatQuantity(l.quantity, l.unit)} × ${formatTaka(l.unitPrice)} = ${formatTaka(l.net)}`,
        );
      }
      console.log(
        `    paid: ${sale.payments.map((p) => `${p.method} ${formatTaka(p.amount)}`).join(', ')}${sale.refundedTotal > 0 ? `; refunded ${formatTaka(sale.refundedTotal)}` : ''}`,
      );
    }
    const z = must(
      closeShift(deps, {
        shiftId: shift.id,
        closedBy: CASHIER.id,
        denominations: { '1000': 2, '200': 2, '50': 1, '10': 1, '2': 2 },
      }),
    );
    console.log(
      `\nZ report: ${z.salesCount} sales, net ${formatTaka(z.netSales)}, VAT ${formatTaka(z.vatTotal)}, refunds ${formatTaka(z.refundsTotal)}`,
    );
    console.log(
      `Cash: expected ${formatTaka(z.expectedCash)}, counted ${formatTaka(z.countedCash)}, difference ${formatTaka(z.difference)}`,
    );
    const counts = outboxCounts(deps.db);
    console.log(
      `\nOutbox: ${counts.lastSeq} events waiting for sync: ${readOutbox(deps.db)
        .map((r) => `${r.seq}:${r.type}`)
        .join(' ')}`,
    );
  } finally {
    till.cleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
