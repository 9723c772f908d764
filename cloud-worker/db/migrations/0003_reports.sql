-- Head office's reports (docs/reports.md). Days are Dhaka business days.
--
-- Rollups: sums per day, branch (and product) of every sale, void and refund
-- up to each till's mark. The refresher (cloud-worker/reports/rollups.ts)
-- moves a till's mark forward over its gap-free prefix of events, outside the
-- ingest transaction, under an advisory lock; a report adds what lies beyond
-- the marks from the raw tables, so it is exact whenever it is read.

CREATE TABLE report_marks (
  branch text NOT NULL,
  till_no integer NOT NULL,
  -- Every sale, void and refund of the till with seq <= rolled_seq is in the rollups.
  rolled_seq bigint NOT NULL CHECK (rolled_seq >= 0),
  PRIMARY KEY (branch, till_no)
);

-- Each fact counts on its own day: a sale on the day it was completed, a
-- void on the day it was voided (with the voided sale's amounts), a refund
-- on the day it was refunded.
CREATE TABLE report_branch_days (
  day date NOT NULL,
  branch text NOT NULL,
  sales_count bigint NOT NULL,
  -- Σ sales.subtotal: before discounts (and before exclusive VAT).
  gross bigint NOT NULL,
  discounts bigint NOT NULL,
  -- Σ sales.total: what customers paid, VAT included.
  sales bigint NOT NULL,
  sales_vat bigint NOT NULL,
  voids_count bigint NOT NULL,
  voids bigint NOT NULL,
  voids_vat bigint NOT NULL,
  refunds_count bigint NOT NULL,
  refunds bigint NOT NULL,
  refunds_vat bigint NOT NULL,
  PRIMARY KEY (day, branch)
);

-- The same per cashier: each fact for the cashier who recorded it.
CREATE TABLE report_cashier_days (
  day date NOT NULL,
  branch text NOT NULL,
  cashier_id uuid NOT NULL,
  sales_count bigint NOT NULL,
  gross bigint NOT NULL,
  discounts bigint NOT NULL,
  sales bigint NOT NULL,
  sales_vat bigint NOT NULL,
  voids_count bigint NOT NULL,
  voids bigint NOT NULL,
  voids_vat bigint NOT NULL,
  refunds_count bigint NOT NULL,
  refunds bigint NOT NULL,
  refunds_vat bigint NOT NULL,
  PRIMARY KEY (day, branch, cashier_id)
);

CREATE TABLE report_product_days (
  day date NOT NULL,
  branch text NOT NULL,
  product_id uuid NOT NULL,
  quantity bigint NOT NULL,
  gross bigint NOT NULL,
  discounts bigint NOT NULL,
  sales bigint NOT NULL,
  sales_vat bigint NOT NULL,
  void_quantity bigint NOT NULL,
  voids bigint NOT NULL,
  voids_vat bigint NOT NULL,
  refund_quantity bigint NOT NULL,
  refunds bigint NOT NULL,
  refunds_vat bigint NOT NULL,
  PRIMARY KEY (day, branch, product_id)
);

-- The same for the whole chain: a month of it is days × products rows,
-- whatever the number of branches.
CREATE TABLE report_chain_product_days (
  day date NOT NULL,
  product_id uuid NOT NULL,
  quantity bigint NOT NULL,
  gross bigint NOT NULL,
  discounts bigint NOT NULL,
  sales bigint NOT NULL,
  sales_vat bigint NOT NULL,
  void_quantity bigint NOT NULL,
  voids bigint NOT NULL,
  voids_vat bigint NOT NULL,
  refund_quantity bigint NOT NULL,
  refunds bigint NOT NULL,
  refunds_vat bigint NOT NULL,
  PRIMARY KEY (day, product_id)
);
-- What each payment method took (cash less change), gave back on voids,
-- and paid out on refunds.
CREATE TABLE report_payment_days (
  day date NOT NULL,
  branch text NOT NULL,
  method text NOT NULL,
  taken bigint NOT NULL,
  voids bigint NOT NULL,
  refunds bigint NOT NULL,
  PRIMARY KEY (day, branch, method)
);

-- Per VAT rate; a refunded line takes its sold line's rate.
CREATE TABLE report_vat_days (
  day date NOT NULL,
  branch text NOT NULL,
  rate integer NOT NULL,
  sales bigint NOT NULL,
  sales_vat bigint NOT NULL,
  voids bigint NOT NULL,
  voids_vat bigint NOT NULL,
  refunds bigint NOT NULL,
  refunds_vat bigint NOT NULL,
  PRIMARY KEY (day, branch, rate)
);

CREATE INDEX report_product_days_by_branch ON report_product_days (branch, day);

-- What lies beyond a till's mark, found by the till's sequence.
CREATE INDEX sales_by_till_seq ON sales (branch, till_no, seq);
CREATE INDEX voids_by_till_seq ON voids (branch, till_no, seq);
CREATE INDEX refunds_by_till_seq ON refunds (branch, till_no, seq);

-- The reports read straight from the raw tables scan only their range.
CREATE INDEX sales_by_time ON sales (completed_at);
CREATE INDEX voids_by_time ON voids (voided_at);
CREATE INDEX refunds_by_time ON refunds (refunded_at);
CREATE INDEX shifts_by_time ON shifts (opened_at);
CREATE INDEX shift_closes_by_time ON shift_closes (opened_at);
CREATE INDEX price_history_by_time ON price_history (product_id, changed_at);
