import type { Poisha } from '../../shared/money';
import type { RecentSaleView, SyncTick } from '../../shared/pos-api';
import { sql, type ReadableDB } from '../store/db';

interface TickRow {
  receipt_no: string;
  completed_at: number;
  total: number;
  voided: number;
  refunded_total: number;
  outbox_seq: number | null;
  queued_at: number | null;
  acked_at: number | null;
}

function tickOf(row: TickRow): SyncTick {
  // Outbox rows are pruned only after the central database confirmed them,
  // so a sale whose row is gone is in head office.
  if (row.outbox_seq === null || row.acked_at !== null) return 'acked';
  return row.queued_at !== null ? 'queued' : 'local';
}

/**
 * The latest sales with how far each got towards head office, read from the
 * outbox row the sale was recorded with: ✔ queued, ✔✔ acknowledged.
 */
export function recentSalesWithTicks(db: ReadableDB, limit = 20): RecentSaleView[] {
  const rows = sql(
    db,
    `SELECT s.receipt_no, s.completed_at, s.total,
            EXISTS (SELECT 1 FROM voids v WHERE v.sale_id = s.id) AS voided,
            (SELECT coalesce(sum(r.total), 0) FROM refunds r WHERE r.sale_id = s.id) AS refunded_total,
            o.seq AS outbox_seq, o.queued_at, o.acked_at
     FROM sales s LEFT JOIN outbox o ON o.seq = s.outbox_seq
     ORDER BY s.receipt_seq DESC LIMIT ?`,
  ).all(limit) as TickRow[];
  return rows.map((r) => ({
    receiptNo: r.receipt_no,
    completedAt: r.completed_at,
    total: r.total as Poisha,
    voided: r.voided === 1,
    refundedTotal: r.refunded_total as Poisha,
    tick: tickOf(r),
  }));
}

/** Completed sales the cloud queue has not accepted yet. */
export function pendingSalesCount(db: ReadableDB): number {
  const row = sql(
    db,
    'SELECT count(*) AS n FROM sales s JOIN outbox o ON o.seq = s.outbox_seq WHERE o.queued_at IS NULL',
  ).get() as { n: number };
  return row.n;
}
