-- When old movements are pruned, their sum per product moves here, so that
-- stock on hand (baseline + remaining movements) does not change.
CREATE TABLE stock_baseline (
  product_id TEXT PRIMARY KEY,
  quantity INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Pruning looks for old facts by time.
CREATE INDEX sales_by_completed_at ON sales (completed_at);
CREATE INDEX stock_movements_by_at ON stock_movements (at);
CREATE INDEX outbox_by_acked ON outbox (acked_at) WHERE acked_at IS NOT NULL;
