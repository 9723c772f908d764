import type { ShiftId, StaffId } from '../../shared/ids';
import type { Poisha } from '../../shared/money';
import { PAYMENT_METHODS, type PaymentMethod } from '../../shared/tender';
import type { ZReport } from '../../shared/wire/events';
import { sql, type ReadableDB, type WritableDB } from './db';

export interface Shift {
  readonly id: ShiftId;
  readonly cashierId: StaffId;
  readonly openingFloat: Poisha;
  readonly openedAt: number;
  readonly closedAt: number | null;
  readonly zReport: ZReport | null;
}

interface ShiftRow {
  id: string;
  cashier_id: string;
  opening_float: number;
  opened_at: number;
  closed_at: number | null;
  z_report: string | null;
}

function rowToShift(r: ShiftRow): Shift {
  return {
    id: r.id as ShiftId,
    cashierId: r.cashier_id as StaffId,
    openingFloat: r.opening_float as Poisha,
    openedAt: r.opened_at,
    closedAt: r.closed_at,
    zReport: r.z_report ? (JSON.parse(r.z_report) as ZReport) : null,
  };
}

export function getOpenShift(db: ReadableDB): Shift | undefined {
  const row = sql(db, 'SELECT * FROM shifts WHERE closed_at IS NULL').get() as ShiftRow | undefined;
  return row ? rowToShift(row) : undefined;
}

export function getShift(db: ReadableDB, id: string): Shift | undefined {
  const row = sql(db, 'SELECT * FROM shifts WHERE id = ?').get(id) as ShiftRow | undefined;
  return row ? rowToShift(row) : undefined;
}

export function insertShift(
  db: WritableDB,
  shift: Pick<Shift, 'id' | 'cashierId' | 'openingFloat' | 'openedAt'>,
): void {
  sql(db, 'INSERT INTO shifts (id, cashier_id, opening_float, opened_at) VALUES (?, ?, ?, ?)').run(
    shift.id,
    shift.cashierId,
    shift.openingFloat,
    shift.openedAt,
  );
}

export function markShiftClosed(
  db: WritableDB,
  close: { id: ShiftId; closedAt: number; closedBy: StaffId; denominations: Record<string, number>; z: ZReport },
): void {
  sql(
    db,
    `UPDATE shifts SET closed_at = ?, closed_by = ?, denominations = ?, expected_cash = ?, counted_cash = ?, z_report = ?
     WHERE id = ? AND closed_at IS NULL`,
  ).run(
    close.closedAt,
    close.closedBy,
    JSON.stringify(close.denominations),
    close.z.expectedCash,
    close.z.countedCash,
    JSON.stringify(close.z),
    close.id,
  );
}

function emptyByMethod(): Record<PaymentMethod, number> {
  return Object.fromEntries(PAYMENT_METHODS.map((m) => [m, 0])) as Record<PaymentMethod, number>;
}

/**
 * The Z-report figures of a shift, from the facts recorded in it. Sales later
 * voided in the same shift count only under voids; refunds count in the
 * shift that paid them out.
 */
export function computeZReport(
  db: ReadableDB,
  shift: Pick<Shift, 'id' | 'openingFloat'>,
  countedCash: number,
): ZReport {
  const sales = sql(
    db,
    `SELECT count(*) AS n, coalesce(sum(s.subtotal), 0) AS subtotal, coalesce(sum(s.discount_total), 0) AS discounts,
            coalesce(sum(s.vat_total), 0) AS vat, coalesce(sum(s.total), 0) AS total,
            coalesce(sum(s.change), 0) AS change
     FROM sales s WHERE s.shift_id = ? AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.sale_id = s.id)`,
  ).get(shift.id) as { n: number; subtotal: number; discounts: number; vat: number; total: number; change: number };
  const salesByMethod = emptyByMethod();
  const payments = sql(
    db,
    `SELECT p.method, sum(p.amount) AS amount FROM sale_payments p JOIN sales s ON s.id = p.sale_id
     WHERE s.shift_id = ? AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.sale_id = s.id) GROUP BY p.method`,
  ).all(shift.id) as { method: PaymentMethod; amount: number }[];
  for (const p of payments) salesByMethod[p.method] = p.amount;
  // Cash is what stayed in the drawer: tendered minus change.
  salesByMethod.cash -= sales.change;

  const voids = sql(
    db,
    `SELECT count(*) AS n, coalesce(sum(s.total), 0) AS total FROM voids v JOIN sales s ON s.id = v.sale_id WHERE v.shift_id = ?`,
  ).get(shift.id) as { n: number; total: number };

  const refundsByMethod = emptyByMethod();
  const refunds = sql(
    db,
    'SELECT method, count(*) AS n, sum(total) AS total FROM refunds WHERE shift_id = ? GROUP BY method',
  ).all(shift.id) as { method: PaymentMethod; n: number; total: number }[];
  let refundsCount = 0;
  let refundsTotal = 0;
  for (const r of refunds) {
    refundsByMethod[r.method] = r.total;
    refundsCount += r.n;
    refundsTotal += r.total;
  }
  const cashIn = salesByMethod.cash;
  const cashOut = refundsByMethod.cash;
  const expectedCash = shift.openingFloat + cashIn - cashOut;
  return {
    salesCount: sales.n,
    subtotal: sales.subtotal,
    discountTotal: sales.discounts,
    vatTotal: sales.vat,
    netSales: sales.total,
    salesByMethod,
    voidsCount: voids.n,
    voidsTotal: voids.total,
    refundsCount,
    refundsTotal,
    refundsByMethod,
    openingFloat: shift.openingFloat,
    cashIn,
    cashOut,
    expectedCash,
    countedCash,
    difference: countedCash - expectedCash,
  };
}
