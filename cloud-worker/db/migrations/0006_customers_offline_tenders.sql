-- Whom a sale was for (by mobile number, one normal form: +8801XXXXXXXXX),
-- whether the till took it offline (card and mobile money then went
-- unchecked, within the branch's caps), and the manager who let a tender over
-- a cap through. Sales of version 1 had none of these.
ALTER TABLE sales
  ADD COLUMN customer_phone text CHECK (customer_phone ~ '^\+8801[3-9][0-9]{8}$'),
  ADD COLUMN customer_name text,
  ADD COLUMN offline boolean NOT NULL DEFAULT false,
  ADD COLUMN tender_approved_by uuid;
CREATE INDEX sales_by_customer ON sales (customer_phone, completed_at) WHERE customer_phone IS NOT NULL;
CREATE INDEX sales_offline_by_time ON sales (completed_at) WHERE offline;

-- One row per customer, however many tills at however many branches met
-- them offline: the mobile number is the key, so records made apart merge
-- here. Their purchases are the sales that carry the number.
CREATE TABLE customers (
  phone text PRIMARY KEY CHECK (phone ~ '^\+8801[3-9][0-9]{8}$'),
  name text,
  first_sale_at bigint NOT NULL,
  last_sale_at bigint NOT NULL,
  first_branch text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
