import type { ProductId, SaleId, ShiftId, StaffId } from '../../shared/ids';
import type { Poisha } from '../../shared/money';
import type { Milli, Unit } from '../../shared/quantity';
import type { ReceiptNo } from '../../shared/receipt';
import type { Payment, PaymentMethod } from '../../shared/tender';
import type { VatMode, VatRate } from '../../shared/vat';
import type { SaleCompleted, SaleRefunded, SaleVoided } from '../../shared/wire/events';
import { sql, type ReadableDB, type WritableDB } from './db';

export interface SaleLineRow {
  readonly lineNo: number;
  readonly productId: ProductId;
  readonly barcode: string | null;
  readonly nameEn: string;
  readonly nameBn: string;
  readonly unit: Unit;
  readonly quantity: Milli;
  readonly unitPrice: Poisha;
  readonly vatRate: VatRate;
  readonly vatMode: VatMode;
  readonly gross: Poisha;
  readonly lineDiscount: Poisha;
  readonly cartDiscountShare: Poisha;
  readonly net: Poisha;
  readonly vat: Poisha;
  readonly refundedQuantity: Milli;
}

export interface Sale {
  readonly id: SaleId;
  readonly receiptNo: ReceiptNo;
  readonly shiftId: ShiftId;
  readonly cashierId: StaffId;
  readonly startedAt: number;
  readonly completedAt: number;
  readonly subtotal: Poisha;
  readonly cartDiscount: Poisha;
  readonly discountTotal: Poisha;
  readonly vatTotal: Poisha;
  readonly total: Poisha;
  readonly cashReceived: Poisha;
  readonly change: Poisha;
  readonly lines: readonly SaleLineRow[];
  readonly payments: readonly Payment[];
  readonly voided: boolean;
  readonly refundedTotal: Poisha;
  readonly customerPhone: string | null;
  /** Taken while the till was offline. */
  readonly offline: boolean;
  readonly tenderApprovedBy: StaffId | null;
}

/**
 * Writes a completed sale with its lines, payments and stock movements.
 * Positional parameters: binding by name, from spread copies of the event,
 * added about 25 µs to every sale (`npm run bench -- sale-commit`).
 */
export function insertSale(db: WritableDB, sale: SaleCompleted, receiptSeq: number, outboxSeq: number): void {
  sql(
    db,
    `INSERT INTO sales (id, receipt_seq, receipt_no, shift_id, cashier_id, started_at, completed_at, subtotal, cart_discount,
       cart_discount_approved_by, discount_total, vat_total, total, cash_received, change, outbox_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    sale.saleId,
    receiptSeq,
    sale.receiptNo,
    sale.shiftId,
    sale.cashierId,
    sale.startedAt,
    sale.completedAt,
    sale.subtotal,
    sale.cartDiscount,
    sale.cartDiscountApprovedBy,
    sale.discountTotal,
    sale.vatTotal,
    sale.total,
    sale.cashReceived,
    sale.change,
    outboxSeq,
  );
  const line = sql(
    db,
    `INSERT INTO sale_lines (sale_id, line_no, product_id, barcode, name_en, name_bn, unit, quantity, unit_price, vat_rate,
       vat_mode, gross, line_discount, discount_approved_by, cart_discount_share, net, vat)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const movement = sql(
    db,
    "INSERT INTO stock_movements (product_id, quantity, reason, ref_id, at) VALUES (?, ?, 'sale', ?, ?)",
  );
  for (const l of sale.lines) {
    line.run(
      sale.saleId,
      l.lineNo,
      l.productId,
      l.barcode,
      l.nameEn,
      l.nameBn,
      l.unit,
      l.quantity,
      l.unitPrice,
      l.vatRate,
      l.vatMode,
      l.gross,
      l.lineDiscount,
      l.discountApprovedBy,
      l.cartDiscountShare,
      l.net,
      l.vat,
    );
    movement.run(l.productId, -l.quantity, sale.saleId, sale.completedAt);
  }
  const payment = sql(
    db,
    'INSERT INTO sale_payments (sale_id, payment_no, method, amount, reference) VALUES (?, ?, ?, ?, ?)',
  );
  sale.payments.forEach((p, i) => payment.run(sale.saleId, i + 1, p.method, p.amount, p.reference));
  // Most sales are for nobody in particular, taken online: they skip this statement.
  if (sale.customer || sale.offline || sale.tenderApprovedBy) {
    sql(db, 'UPDATE sales SET customer_phone = ?, offline = ?, tender_approved_by = ? WHERE id = ?').run(
      sale.customer?.phone ?? null,
      sale.offline ? 1 : 0,
      sale.tenderApprovedBy,
      sale.saleId,
    );
  }
}

/**
 * What completeSale must know before it writes: whether the sale's shift is
 * still the open one, and whether the sale is already recorded. One statement
 * for both, since every sale asks.
 */
export function completionState(
  db: ReadableDB,
  saleId: string,
  shiftId: string,
): { readonly shiftOpen: boolean; readonly completed: boolean } {
  const row = sql(
    db,
    `SELECT EXISTS (SELECT 1 FROM shifts WHERE id = ? AND closed_at IS NULL) AS shift_open,
            EXISTS (SELECT 1 FROM sales WHERE id = ?) AS completed`,
  ).get(shiftId, saleId) as { shift_open: number; completed: number };
  return { shiftOpen: row.shift_open === 1, completed: row.completed === 1 };
}

interface SaleDbRow {
  id: string;
  receipt_no: string;
  shift_id: string;
  cashier_id: string;
  started_at: number;
  completed_at: number;
  subtotal: number;
  cart_discount: number;
  discount_total: number;
  vat_total: number;
  total: number;
  cash_received: number;
  change: number;
  voided: number;
  refunded_total: number;
  customer_phone: string | null;
  offline: number;
  tender_approved_by: string | null;
}

interface LineDbRow {
  line_no: number;
  product_id: string;
  barcode: string | null;
  name_en: string;
  name_bn: string;
  unit: string;
  quantity: number;
  unit_price: number;
  vat_rate: number;
  vat_mode: string;
  gross: number;
  line_discount: number;
  cart_discount_share: number;
  net: number;
  vat: number;
  refunded_quantity: number;
}

function loadSale(db: ReadableDB, row: SaleDbRow | undefined): Sale | undefined {
  if (!row) return undefined;
  const lines = (sql(db, 'SELECT * FROM sale_lines WHERE sale_id = ? ORDER BY line_no').all(row.id) as LineDbRow[]).map(
    (l): SaleLineRow => ({
      lineNo: l.line_no,
      productId: l.product_id as ProductId,
      barcode: l.barcode,
      nameEn: l.name_en,
      nameBn: l.name_bn,
      unit: l.unit as Unit,
      quantity: l.quantity as Milli,
      unitPrice: l.unit_price as Poisha,
      vatRate: l.vat_rate as VatRate,
      vatMode: l.vat_mode as VatMode,
      gross: l.gross as Poisha,
      lineDiscount: l.line_discount as Poisha,
      cartDiscountShare: l.cart_discount_share as Poisha,
      net: l.net as Poisha,
      vat: l.vat as Poisha,
      refundedQuantity: l.refunded_quantity as Milli,
    }),
  );
  const payments = (
    sql(db, 'SELECT method, amount, reference FROM sale_payments WHERE sale_id = ? ORDER BY payment_no').all(
      row.id,
    ) as {
      method: PaymentMethod;
      amount: number;
      reference: string | null;
    }[]
  ).map((p): Payment => ({ method: p.method, amount: p.amount as Poisha, reference: p.reference }));
  return {
    id: row.id as SaleId,
    receiptNo: row.receipt_no as ReceiptNo,
    shiftId: row.shift_id as ShiftId,
    cashierId: row.cashier_id as StaffId,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    subtotal: row.subtotal as Poisha,
    cartDiscount: row.cart_discount as Poisha,
    discountTotal: row.discount_total as Poisha,
    vatTotal: row.vat_total as Poisha,
    total: row.total as Poisha,
    cashReceived: row.cash_received as Poisha,
    change: row.change as Poisha,
    lines,
    payments,
    voided: row.voided === 1,
    refundedTotal: row.refunded_total as Poisha,
    customerPhone: row.customer_phone,
    offline: row.offline === 1,
    tenderApprovedBy: row.tender_approved_by as StaffId | null,
  };
}

const SALE_SELECT = `SELECT s.*, EXISTS (SELECT 1 FROM voids v WHERE v.sale_id = s.id) AS voided,
  (SELECT coalesce(sum(r.total), 0) FROM refunds r WHERE r.sale_id = s.id) AS refunded_total FROM sales s`;

export function getSaleByReceipt(db: ReadableDB, receiptNo: string): Sale | undefined {
  return loadSale(db, sql(db, `${SALE_SELECT} WHERE s.receipt_no = ?`).get(receiptNo) as SaleDbRow | undefined);
}

export function getSale(db: ReadableDB, id: string): Sale | undefined {
  return loadSale(db, sql(db, `${SALE_SELECT} WHERE s.id = ?`).get(id) as SaleDbRow | undefined);
}

/** The latest sales of this till, newest first (the recent-sales list). */
export function recentSales(db: ReadableDB, limit = 20): Sale[] {
  const rows = sql(db, `${SALE_SELECT} ORDER BY s.receipt_seq DESC LIMIT ?`).all(limit) as SaleDbRow[];
  return rows.map((r) => loadSale(db, r)).filter((s): s is Sale => s !== undefined);
}

export function insertVoid(db: WritableDB, v: SaleVoided, lines: readonly SaleLineRow[], outboxSeq: number): void {
  sql(
    db,
    `INSERT INTO voids (id, sale_id, shift_id, cashier_id, manager_id, reason, voided_at, outbox_seq)
     VALUES (@voidId, @saleId, @shiftId, @cashierId, @managerId, @reason, @voidedAt, @outboxSeq)`,
  ).run({ ...v, outboxSeq });
  const movement = sql(
    db,
    "INSERT INTO stock_movements (product_id, quantity, reason, ref_id, at) VALUES (?, ?, 'void', ?, ?)",
  );
  for (const l of lines) movement.run(l.productId, l.quantity, v.voidId, v.voidedAt);
}

export function insertRefund(db: WritableDB, r: SaleRefunded, outboxSeq: number): void {
  sql(
    db,
    `INSERT INTO refunds (id, sale_id, shift_id, cashier_id, manager_id, method, reference, total, vat_total, reason,
       refunded_at, outbox_seq)
     VALUES (@refundId, @saleId, @shiftId, @cashierId, @managerId, @method, @reference, @total, @vatTotal, @reason,
       @refundedAt, @outboxSeq)`,
  ).run({ ...r, outboxSeq });
  const line = sql(db, 'INSERT INTO refund_lines (refund_id, line_no, quantity, amount, vat) VALUES (?, ?, ?, ?, ?)');
  const sold = sql(
    db,
    'UPDATE sale_lines SET refunded_quantity = refunded_quantity + ? WHERE sale_id = ? AND line_no = ?',
  );
  const movement = sql(
    db,
    "INSERT INTO stock_movements (product_id, quantity, reason, ref_id, at) VALUES (?, ?, 'refund', ?, ?)",
  );
  for (const l of r.lines) {
    line.run(r.refundId, l.lineNo, l.quantity, l.amount, l.vat);
    sold.run(l.quantity, r.saleId, l.lineNo);
    movement.run(l.productId, l.quantity, r.refundId, r.refundedAt);
  }
}
