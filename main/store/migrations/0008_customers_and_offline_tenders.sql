-- Customers the till has served, by mobile number in its one normal form
-- (+8801XXXXXXXXX), so a returning customer is found without head office.
-- Head office merges the records of every till by the same number.
CREATE TABLE customers (
  phone TEXT PRIMARY KEY CHECK (phone GLOB '+8801[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),
  name TEXT CHECK (name IS NULL OR length(name) BETWEEN 1 AND 100),
  first_sale_at INTEGER NOT NULL,
  last_sale_at INTEGER NOT NULL,
  visits INTEGER NOT NULL CHECK (visits >= 1),
  spent INTEGER NOT NULL CHECK (spent >= 0)
) STRICT;

-- Every sale says whom it was for, whether the till was offline when it
-- took it (card and mobile money then went unchecked, within the branch's
-- caps) and which manager let a tender over a cap through. Sales recorded
-- before this migration were taken with none of these.
ALTER TABLE sales ADD COLUMN customer_phone TEXT REFERENCES customers (phone);
ALTER TABLE sales ADD COLUMN offline INTEGER NOT NULL DEFAULT 0 CHECK (offline IN (0, 1));
ALTER TABLE sales ADD COLUMN tender_approved_by TEXT REFERENCES staff (id);
CREATE INDEX sales_by_customer ON sales (customer_phone, completed_at) WHERE customer_phone IS NOT NULL;
-- The day's offline tenders are summed for every offline sale with card or mobile money.
CREATE INDEX sales_offline_by_time ON sales (completed_at) WHERE offline = 1;
