-- The till's own database. Every table is STRICT; money is integer poisha,
-- quantities are integer thousandths, times are Unix milliseconds of the
-- device clock (recorded, never trusted for order).

CREATE TABLE till (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  branch_code TEXT NOT NULL,
  till_no INTEGER NOT NULL CHECK (till_no BETWEEN 1 AND 99),
  created_at INTEGER NOT NULL
) STRICT;

-- Branch settings from head office, one JSON document validated by shared/settings.ts.
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- Gap-free counters: the outbox sequence and the receipt sequence. Taken
-- inside the transaction that uses them, so a rolled-back sale takes nothing.
CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  last INTEGER NOT NULL CHECK (last >= 0)
) STRICT;
INSERT INTO counters (name, last) VALUES ('outbox', 0), ('receipt', 0);

CREATE TABLE products (
  id TEXT PRIMARY KEY,
  sku TEXT NOT NULL,
  name_en TEXT NOT NULL,
  name_bn TEXT NOT NULL,
  category TEXT NOT NULL DEFAULT '',
  unit TEXT NOT NULL CHECK (unit IN ('piece', 'kg')),
  price INTEGER NOT NULL CHECK (price >= 0),
  vat_rate INTEGER NOT NULL CHECK (vat_rate BETWEEN 0 AND 10000),
  vat_mode TEXT NOT NULL DEFAULT 'inclusive' CHECK (vat_mode IN ('inclusive', 'exclusive')),
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE barcodes (
  barcode TEXT PRIMARY KEY,
  product_id TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX barcodes_by_product ON barcodes (product_id);

-- Trigram full-text index over both names: matches any part of a word, in
-- English or Bangla, ranked by bm25.
CREATE VIRTUAL TABLE products_fts USING fts5 (
  name_en, name_bn,
  content = 'products', content_rowid = 'rowid',
  tokenize = 'trigram'
);
CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
  INSERT INTO products_fts (rowid, name_en, name_bn) VALUES (new.rowid, new.name_en, new.name_bn);
END;
CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
  INSERT INTO products_fts (products_fts, rowid, name_en, name_bn) VALUES ('delete', old.rowid, old.name_en, old.name_bn);
END;
CREATE TRIGGER products_fts_update AFTER UPDATE OF name_en, name_bn ON products BEGIN
  INSERT INTO products_fts (products_fts, rowid, name_en, name_bn) VALUES ('delete', old.rowid, old.name_en, old.name_bn);
  INSERT INTO products_fts (rowid, name_en, name_bn) VALUES (new.rowid, new.name_en, new.name_bn);
END;

CREATE TABLE staff (
  id TEXT PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('cashier', 'manager')),
  pin_hash TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE shifts (
  id TEXT PRIMARY KEY,
  cashier_id TEXT NOT NULL REFERENCES staff (id),
  opening_float INTEGER NOT NULL CHECK (opening_float >= 0),
  opened_at INTEGER NOT NULL,
  closed_at INTEGER,
  closed_by TEXT REFERENCES staff (id),
  denominations TEXT,
  expected_cash INTEGER,
  counted_cash INTEGER,
  z_report TEXT,
  CHECK ((closed_at IS NULL) = (counted_cash IS NULL))
) STRICT;
-- A till has at most one open shift.
CREATE UNIQUE INDEX shifts_one_open ON shifts (closed_at IS NULL) WHERE closed_at IS NULL;

CREATE TABLE sales (
  id TEXT PRIMARY KEY,
  receipt_seq INTEGER NOT NULL UNIQUE CHECK (receipt_seq >= 1),
  receipt_no TEXT NOT NULL UNIQUE,
  shift_id TEXT NOT NULL REFERENCES shifts (id),
  cashier_id TEXT NOT NULL REFERENCES staff (id),
  started_at INTEGER NOT NULL,
  completed_at INTEGER NOT NULL,
  subtotal INTEGER NOT NULL CHECK (subtotal >= 0),
  cart_discount INTEGER NOT NULL CHECK (cart_discount >= 0),
  cart_discount_approved_by TEXT REFERENCES staff (id),
  discount_total INTEGER NOT NULL CHECK (discount_total >= 0),
  vat_total INTEGER NOT NULL CHECK (vat_total >= 0),
  total INTEGER NOT NULL CHECK (total >= 0),
  cash_received INTEGER NOT NULL CHECK (cash_received >= 0),
  change INTEGER NOT NULL CHECK (change >= 0),
  outbox_seq INTEGER NOT NULL UNIQUE
) STRICT;
CREATE INDEX sales_by_shift ON sales (shift_id);

CREATE TABLE sale_lines (
  sale_id TEXT NOT NULL REFERENCES sales (id) ON DELETE CASCADE,
  line_no INTEGER NOT NULL CHECK (line_no >= 1),
  product_id TEXT NOT NULL,
  barcode TEXT,
  name_en TEXT NOT NULL,
  name_bn TEXT NOT NULL,
  unit TEXT NOT NULL CHECK (unit IN ('piece', 'kg')),
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  unit_price INTEGER NOT NULL CHECK (unit_price >= 0),
  vat_rate INTEGER NOT NULL,
  vat_mode TEXT NOT NULL,
  gross INTEGER NOT NULL,
  line_discount INTEGER NOT NULL CHECK (line_discount >= 0),
  discount_approved_by TEXT,
  cart_discount_share INTEGER NOT NULL CHECK (cart_discount_share >= 0),
  net INTEGER NOT NULL CHECK (net >= 0),
  vat INTEGER NOT NULL CHECK (vat >= 0),
  refunded_quantity INTEGER NOT NULL DEFAULT 0 CHECK (refunded_quantity BETWEEN 0 AND quantity),
  PRIMARY KEY (sale_id, line_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE sale_payments (
  sale_id TEXT NOT NULL REFERENCES sales (id) ON DELETE CASCADE,
  payment_no INTEGER NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('cash', 'card', 'bkash', 'nagad')),
  amount INTEGER NOT NULL CHECK (amount > 0),
  reference TEXT,
  PRIMARY KEY (sale_id, payment_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE voids (
  id TEXT PRIMARY KEY,
  sale_id TEXT NOT NULL UNIQUE REFERENCES sales (id) ON DELETE CASCADE,
  shift_id TEXT NOT NULL REFERENCES shifts (id),
  cashier_id TEXT NOT NULL REFERENCES staff (id),
  manager_id TEXT NOT NULL REFERENCES staff (id),
  reason TEXT NOT NULL,
  voided_at INTEGER NOT NULL,
  outbox_seq INTEGER NOT NULL UNIQUE
) STRICT;
CREATE INDEX voids_by_shift ON voids (shift_id);

CREATE TABLE refunds (
  id TEXT PRIMARY KEY,
  sale_id TEXT NOT NULL REFERENCES sales (id) ON DELETE CASCADE,
  shift_id TEXT NOT NULL REFERENCES shifts (id),
  cashier_id TEXT NOT NULL REFERENCES staff (id),
  manager_id TEXT NOT NULL REFERENCES staff (id),
  method TEXT NOT NULL CHECK (method IN ('cash', 'card', 'bkash', 'nagad')),
  reference TEXT,
  total INTEGER NOT NULL CHECK (total >= 0),
  vat_total INTEGER NOT NULL CHECK (vat_total >= 0),
  reason TEXT NOT NULL,
  refunded_at INTEGER NOT NULL,
  outbox_seq INTEGER NOT NULL UNIQUE
) STRICT;
CREATE INDEX refunds_by_sale ON refunds (sale_id);
CREATE INDEX refunds_by_shift ON refunds (shift_id);

CREATE TABLE refund_lines (
  refund_id TEXT NOT NULL REFERENCES refunds (id) ON DELETE CASCADE,
  line_no INTEGER NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  amount INTEGER NOT NULL CHECK (amount >= 0),
  vat INTEGER NOT NULL CHECK (vat >= 0),
  PRIMARY KEY (refund_id, line_no)
) STRICT, WITHOUT ROWID;

-- Stock is the sum of movements (negative for a sale, positive for a void or
-- a refund), so it converges whatever order the facts arrive in.
CREATE TABLE stock_movements (
  id INTEGER PRIMARY KEY,
  product_id TEXT NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity <> 0),
  reason TEXT NOT NULL CHECK (reason IN ('sale', 'void', 'refund')),
  ref_id TEXT NOT NULL,
  at INTEGER NOT NULL
) STRICT;
CREATE INDEX stock_movements_by_product ON stock_movements (product_id);

-- Every fact the till must tell head office, in the till's gap-free sequence.
-- queued_at: the cloud queue accepted it (✔); acked_at: the central database
-- has it (✔✔).
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY CHECK (seq >= 1),
  event_id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  queued_at INTEGER,
  acked_at INTEGER
) STRICT;
CREATE INDEX outbox_unqueued ON outbox (seq) WHERE queued_at IS NULL;
