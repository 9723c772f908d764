import type { Poisha } from '../../shared/money';
import type { RecentSaleView, SyncTick } from '../../shared/pos-api';
import { sql, type ReadableDB } from '../store/db';
import { ackedSql, queuedSql } from '../store/outbox';

interface TickRow {
  receipt_no: string;
  completed_at: number;
  total: number;
  voided: number;
  refunded_total: number;
  tick: SyncTick;
}

/**
 * The latest sales with how far each got towards head office, read from the
 * outbox marks of the event the sale was recorded with: ✔ queued, ✔✔
 * acknowledged (also when its outbox row was since pruned, which happens only
 * after head office confirmed it).
 */
export function recentSalesWithTicks(db: ReadableDB, limit = 20): RecentSaleView[] {
  const rows = sql(
    db,
    `SELECT s.receipt_no, s.completed_at, s.total,
            EXISTS (SELECT 1 FROM voids v WHERE v.sale_id = s.id) AS voided,
            (SELECT coalesce(sum(r.total), 0) FROM refunds r WHERE r.sale_id = s.id) AS refunded_total,
            CASE WHEN ${ackedSql('s.outbox_seq')} THEN 'acked'
                 WHEN ${queuedSql('s.outbox_seq')} THEN 'queued'
                 ELSE 'local' END AS tick
     FROM sales s
     ORDER BY s.receipt_seq DESC LIMIT ?`,
  ).all(limit) as TickRow[];
  return rows.map((r) => ({
    receiptNo: r.receipt_no,
    completedAt: r.completed_at,
    total: r.total as Poisha,
    voided: r.voided === 1,
    refundedTotal: r.refunded_total as Poisha,
    tick: r.tick,
  }));
}

/** Completed sales the cloud queue has not accepted yet. */
export function pendingSalesCount(db: ReadableDB): number {
  const row = sql(
    db,
    // A range on the sales' outbox_seq index: only sales above ✔✔ are read.
    `SELECT count(*) AS n FROM sales s
      WHERE s.outbox_seq > (SELECT through_seq FROM outbox_acked) AND NOT ${queuedSql('s.outbox_seq')}`,
  ).get() as { n: number };
  return row.n;
}
