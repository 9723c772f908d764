import { type OfflineTenders, offlineTenders } from '../../shared/offline-caps';
import type { Poisha } from '../../shared/money';
import type { BdMobile } from '../../shared/phone';
import { dhakaDay, dhakaRange } from '../../shared/reports';
import type { PaymentMethod } from '../../shared/tender';
import type { SaleCustomer } from '../../shared/wire/events';
import { sql, type ReadableDB, type WritableDB } from './db';

/** A customer as this till knows them: from its own sales only, so it answers offline. */
export interface Customer {
  readonly phone: BdMobile;
  readonly name: string | null;
  readonly firstSaleAt: number;
  readonly lastSaleAt: number;
  readonly visits: number;
  readonly spent: number;
}

interface CustomerRow {
  phone: string;
  name: string | null;
  first_sale_at: number;
  last_sale_at: number;
  visits: number;
  spent: number;
}

function rowToCustomer(r: CustomerRow): Customer {
  return {
    phone: r.phone as BdMobile,
    name: r.name,
    firstSaleAt: r.first_sale_at,
    lastSaleAt: r.last_sale_at,
    visits: r.visits,
    spent: r.spent,
  };
}

export function findCustomer(db: ReadableDB, phone: BdMobile): Customer | undefined {
  const row = sql(db, 'SELECT * FROM customers WHERE phone = ?').get(phone) as CustomerRow | undefined;
  return row ? rowToCustomer(row) : undefined;
}

/**
 * Counts a completed sale to its customer; call in the sale's transaction,
 * before the sale row that refers to it. A name given now replaces the one
 * kept; a sale without one keeps it.
 */
export function recordCustomerSale(db: WritableDB, customer: SaleCustomer, total: number, at: number): void {
  sql(
    db,
    `INSERT INTO customers (phone, name, first_sale_at, last_sale_at, visits, spent) VALUES (?, ?, ?, ?, 1, ?)
     ON CONFLICT (phone) DO UPDATE SET name = coalesce(excluded.name, name),
       first_sale_at = min(first_sale_at, excluded.first_sale_at), last_sale_at = max(last_sale_at, excluded.last_sale_at),
       visits = visits + 1, spent = spent + excluded.spent`,
  ).run(customer.phone, customer.name, at, at, total);
}

/**
 * Card and mobile money this till took offline on the business day (Asia/Dhaka)
 * of `now`: what the branch's per-day caps count.
 */
export function offlineTendersOnDay(db: ReadableDB, now: number): OfflineTenders {
  const day = dhakaDay(now);
  const { start, end } = dhakaRange(day, day);
  const rows = sql(
    db,
    `SELECT p.method, sum(p.amount) AS amount FROM sales s JOIN sale_payments p ON p.sale_id = s.id
      WHERE s.offline = 1 AND s.completed_at >= ? AND s.completed_at < ? AND p.method <> 'cash'
      GROUP BY p.method`,
  ).all(start, end) as { method: PaymentMethod; amount: Poisha }[];
  return offlineTenders(rows);
}
