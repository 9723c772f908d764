import type { OfficeCustomer, OfficeCustomerDetail, OfficeCustomerPurchase } from '../../shared/office-customers';
import type { Queryable } from '../db/database';

/**
 * Customers at head office: one row per mobile number, merged at ingest from
 * every till's sales (ingest-repository `mergeCustomers`); what they bought
 * is read from the sales that carry the number.
 */
const CUSTOMER_SELECT = `SELECT c.phone, c.name, c.first_sale_at::float8 AS "firstSaleAt", c.last_sale_at::float8 AS "lastSaleAt",
    c.first_branch AS "firstBranch",
    (SELECT count(*)::int FROM sales s WHERE s.customer_phone = c.phone
        AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.sale_id = s.id)) AS visits,
    (SELECT coalesce(sum(s.total - coalesce((SELECT sum(r.total) FROM refunds r WHERE r.sale_id = s.id), 0)), 0)::float8
       FROM sales s WHERE s.customer_phone = c.phone AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.sale_id = s.id)) AS spent,
    coalesce((SELECT array_agg(DISTINCT s.branch ORDER BY s.branch) FROM sales s WHERE s.customer_phone = c.phone), '{}') AS branches
  FROM customers c`;

/**
 * Customers whose number holds `digits` (the newest first), or the latest
 * customers when no digits are given.
 */
export async function searchCustomers(db: Queryable, digits: string, limit = 50): Promise<OfficeCustomer[]> {
  return db.query<OfficeCustomer & Record<string, unknown>>(
    `${CUSTOMER_SELECT} WHERE ($1 = '' OR c.phone LIKE '%' || $1 || '%') ORDER BY c.last_sale_at DESC, c.phone LIMIT $2`,
    [digits, limit],
  );
}

export async function customerDetail(db: Queryable, phone: string): Promise<OfficeCustomerDetail | undefined> {
  const [customer] = await db.query<OfficeCustomer & Record<string, unknown>>(`${CUSTOMER_SELECT} WHERE c.phone = $1`, [
    phone,
  ]);
  if (!customer) return undefined;
  const purchases = await db.query<OfficeCustomerPurchase & Record<string, unknown>>(
    `SELECT s.id AS "saleId", s.receipt_no AS "receiptNo", s.branch, s.till_no AS till,
            s.completed_at::float8 AS "completedAt", s.total::float8 AS total,
            coalesce((SELECT sum(r.total) FROM refunds r WHERE r.sale_id = s.id), 0)::float8 AS refunded,
            EXISTS (SELECT 1 FROM voids v WHERE v.sale_id = s.id) AS voided, s.offline,
            CASE WHEN s.tender_approved_by IS NULL THEN NULL
                 ELSE coalesce((SELECT k.name || ' (' || k.code || ')' FROM cashiers k WHERE k.id = s.tender_approved_by),
                               s.tender_approved_by::text) END AS "approvedBy"
       FROM sales s WHERE s.customer_phone = $1
      ORDER BY s.completed_at DESC, s.receipt_no DESC LIMIT 500`,
    [phone],
  );
  return { customer, purchases };
}
