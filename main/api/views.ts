import { poisha } from '../../shared/money';
import type { CartView, CustomerView, ProductView, ReceiptView, ShiftView, StaffView } from '../../shared/pos-api';
import { EMPTY_CART } from '../../shared/pos-channels';
import { amountPaid, cartDiscountAmount, priceDraft, type SaleDraft } from '../../shared/sale-draft';
import type { TillId } from '../../shared/ids';
import type { Product } from '../store/catalog';
import type { Customer } from '../store/customers';
import type { ReadableDB } from '../store/db';
import type { Sale } from '../store/sales';
import type { Shift } from '../store/shifts';
import { getStaff, type Staff } from '../store/staff';

/** How the screens see the store's records: plain data, names resolved. */

export function cartView(draft: SaleDraft | null): CartView {
  if (!draft) return EMPTY_CART;
  const priced = priceDraft(draft);
  const paid = amountPaid(draft);
  return {
    saleId: draft.id,
    lines: draft.lines.map((l, i) => {
      const p = priced.lines[i];
      if (!p) throw new Error('a priced line for every draft line');
      return {
        lineNo: l.lineNo,
        productId: l.productId,
        barcode: l.barcode,
        nameEn: l.nameEn,
        nameBn: l.nameBn,
        unit: l.unit,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        vatRate: l.vatRate,
        gross: p.gross,
        lineDiscount: p.lineDiscount,
        net: p.net,
        vat: p.vat,
      };
    }),
    subtotal: priced.subtotal,
    cartDiscount: cartDiscountAmount(draft),
    discountTotal: priced.discountTotal,
    vatTotal: priced.vatTotal,
    total: priced.total,
    payments: draft.payments.map((p) => ({ method: p.method, amount: p.amount, reference: p.reference })),
    paid,
    due: poisha(Math.max(0, priced.total - paid)),
    change: poisha(Math.max(0, paid - priced.total)),
    customer: draft.customer,
    tenderApproved: draft.tenderApprovedBy !== null,
  };
}

export function staffView(s: Staff): StaffView {
  return { id: s.id, code: s.code, name: s.name, role: s.role };
}

export function staffName(db: ReadableDB, id: string): string {
  return getStaff(db, id)?.name ?? id;
}

export function shiftView(db: ReadableDB, s: Shift): ShiftView {
  return {
    id: s.id,
    cashierId: s.cashierId,
    cashierName: staffName(db, s.cashierId),
    openingFloat: s.openingFloat,
    openedAt: s.openedAt,
  };
}

export function productView(p: Product): ProductView {
  return {
    id: p.id,
    nameEn: p.nameEn,
    nameBn: p.nameBn,
    unit: p.unit,
    price: p.price,
    vatRate: p.vatRate,
    barcode: p.barcodes[0] ?? null,
  };
}

export function receiptView(db: ReadableDB, till: TillId, sale: Sale): ReceiptView {
  return {
    receiptNo: sale.receiptNo,
    branch: till.branch,
    till: till.till,
    cashierName: staffName(db, sale.cashierId),
    completedAt: sale.completedAt,
    lines: sale.lines.map((l) => ({
      lineNo: l.lineNo,
      nameEn: l.nameEn,
      nameBn: l.nameBn,
      unit: l.unit,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      gross: l.gross,
      lineDiscount: l.lineDiscount,
      net: l.net,
      vat: l.vat,
      refundedQuantity: l.refundedQuantity,
    })),
    subtotal: sale.subtotal,
    discountTotal: sale.discountTotal,
    vatTotal: sale.vatTotal,
    total: sale.total,
    payments: sale.payments.map((p) => ({ method: p.method, amount: p.amount, reference: p.reference })),
    cashReceived: sale.cashReceived,
    change: sale.change,
    voided: sale.voided,
    refundedTotal: sale.refundedTotal,
    customerPhone: sale.customerPhone,
    offline: sale.offline,
  };
}

export function customerView(c: Customer): CustomerView {
  return { phone: c.phone, name: c.name, visits: c.visits, spent: poisha(c.spent), lastSaleAt: c.lastSaleAt };
}
