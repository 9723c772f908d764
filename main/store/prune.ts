import { sql, inTransaction, type WritableDB } from './db';
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
    const acked = (seqColumn: string) =>
      `EXISTS (SELECT 1 FROM outbox o WHERE o.seq = ${seqColumn} AND o.acked_at IS NOT NULL)`;
    // An outbox row already pruned was acknowledged, or it would still be there.
    const ackedOrGone = (seqColumn: string) =>
      `(${acked(seqColumn)} OR NOT EXISTS (SELECT 1 FROM outbox o WHERE o.seq = ${seqColumn}))`;
    const sales = sql(
      db,
      `DELETE FROM sales WHERE completed_at < ?
         AND ${ackedOrGone('sales.outbox_seq')}
         AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.sale_id = sales.id AND (v.voided_at >= ? OR NOT ${ackedOrGone('v.outbox_seq')}))
         AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.sale_id = sales.id AND (r.refunded_at >= ? OR NOT ${ackedOrGone('r.outbox_seq')}))`,
    ).run(cutoff, cutoff, cutoff).changes;

    const shifts = sql(
      db,
      `DELETE FROM shifts WHERE closed_at IS NOT NULL AND closed_at < ?
         AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.type = 'shift.closed' AND o.acked_at IS NULL
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
    const outbox = sql(db, 'DELETE FROM outbox WHERE acked_at IS NOT NULL AND created_at < ?').run(cutoff).changes;
    return { sales, shifts, outbox, movements };
  });
}
