import { sql, inTransaction, type WritableDB } from './db';
import { ackedSql } from './outbox';
import { pruneOfflinePeriods } from './offline-periods';

export interface PruneSummary {
  readonly sales: number;
  readonly shifts: number;
  readonly outbox: number;
  readonly movements: number;
}

/**
 * Keeps a till's database bounded. Removes only what head office has
 * confirmed (✔✔) and what is older than the retention window:
 *
 * - a sale, with its lines, payments, void and refunds, once it and every
 *   later fact about it are acknowledged;
 * - a closed shift once its close is acknowledged and nothing left refers to it;
 * - ended offline periods whose events are acknowledged;
 * - acknowledged outbox rows;
 * - stock movements, folded into a per-product baseline so stock on hand
 *   does not change.
 *
 * The counters are never touched, so receipt numbers and outbox sequences
 * continue without reuse.
 */
export function pruneAcknowledged(db: WritableDB, cutoff: number): PruneSummary {
  return inTransaction(db, () => {
    // Below the acknowledged sequence every event is in head office, including
    // those whose outbox rows were already pruned.
    const sales = sql(
      db,
      `DELETE FROM sales WHERE completed_at < ?
         AND ${ackedSql('sales.outbox_seq')}
         AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.sale_id = sales.id AND (v.voided_at >= ? OR NOT ${ackedSql('v.outbox_seq')}))
         AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.sale_id = sales.id AND (r.refunded_at >= ? OR NOT ${ackedSql('r.outbox_seq')}))`,
    ).run(cutoff, cutoff, cutoff).changes;

    const shifts = sql(
      db,
      `DELETE FROM shifts WHERE closed_at IS NOT NULL AND closed_at < ?
         AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.type = 'shift.closed' AND NOT ${ackedSql('o.seq')}
                         AND json_extract(o.body, '$.payload.shiftId') = shifts.id)
         AND NOT EXISTS (SELECT 1 FROM sales s WHERE s.shift_id = shifts.id)
         AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.shift_id = shifts.id)
         AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.shift_id = shifts.id)`,
    ).run(cutoff).changes;

    sql(
      db,
      `INSERT INTO stock_baseline (product_id, quantity)
       SELECT product_id, sum(quantity) FROM stock_movements WHERE at < ? GROUP BY product_id
       ON CONFLICT (product_id) DO UPDATE SET quantity = stock_baseline.quantity + excluded.quantity`,
    ).run(cutoff);
    const movements = sql(db, 'DELETE FROM stock_movements WHERE at < ?').run(cutoff).changes;

    pruneOfflinePeriods(db, cutoff);
    // Outbox rows go last: the checks above read them.
    const outbox = sql(db, `DELETE FROM outbox WHERE ${ackedSql('seq')} AND created_at < ?`).run(cutoff).changes;
    return { sales, shifts, outbox, movements };
  });
}
