-- The central database. Plain SQL that PostgreSQL 15+ and PGlite both run.
-- Money is integer poisha (bigint), quantities integer thousandths, device
-- times Unix milliseconds of the till's clock (recorded, reported on, never
-- trusted for order); server times are timestamptz.

-- ---------------------------------------------------------------------------
-- Master data. Every row carries change_seq, the value of the single-row
-- change counter taken by the transaction that last changed it. Each
-- master-data transaction bumps the counter first, so the row lock on the
-- counter orders those transactions: a change numbered n commits before any
-- change numbered n + 1 exists. Branches pull with that number as cursor.
-- ---------------------------------------------------------------------------

CREATE TABLE change_counter (
  id integer PRIMARY KEY CHECK (id = 1),
  value bigint NOT NULL CHECK (value >= 0)
);
INSERT INTO change_counter (id, value) VALUES (1, 0);

CREATE TABLE branches (
  code text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9]{1,7}$'),
  name_en text NOT NULL,
  name_bn text NOT NULL DEFAULT '',
  -- Validated by shared/settings.ts before it is written.
  settings jsonb NOT NULL DEFAULT '{}',
  change_seq bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE products (
  id uuid PRIMARY KEY,
  sku text NOT NULL UNIQUE,
  name_en text NOT NULL,
  name_bn text NOT NULL,
  category text NOT NULL DEFAULT '',
  unit text NOT NULL CHECK (unit IN ('piece', 'kg')),
  -- The current price and VAT; their history is in price_history and vat_history.
  price bigint NOT NULL CHECK (price >= 0),
  vat_rate integer NOT NULL CHECK (vat_rate BETWEEN 0 AND 10000),
  vat_mode text NOT NULL CHECK (vat_mode IN ('inclusive', 'exclusive')),
  active boolean NOT NULL DEFAULT true,
  change_seq bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX products_by_change ON products (change_seq);

-- A barcode names one product in the whole chain.
CREATE TABLE product_barcodes (
  barcode text PRIMARY KEY CHECK (length(barcode) BETWEEN 1 AND 64),
  product_id uuid NOT NULL REFERENCES products (id)
);
CREATE INDEX product_barcodes_by_product ON product_barcodes (product_id);

CREATE TABLE price_history (
  product_id uuid NOT NULL REFERENCES products (id),
  change_seq bigint NOT NULL,
  price bigint NOT NULL CHECK (price >= 0),
  changed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (product_id, change_seq)
);

CREATE TABLE vat_history (
  product_id uuid NOT NULL REFERENCES products (id),
  change_seq bigint NOT NULL,
  vat_rate integer NOT NULL CHECK (vat_rate BETWEEN 0 AND 10000),
  vat_mode text NOT NULL CHECK (vat_mode IN ('inclusive', 'exclusive')),
  changed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (product_id, change_seq)
);

-- Cashiers and managers belong to one branch; the till checks their PINs
-- offline against pin_hash (scrypt$N$r$p$salt$hash, as the till stores it).
CREATE TABLE cashiers (
  id uuid PRIMARY KEY,
  branch text NOT NULL REFERENCES branches (code),
  code text NOT NULL,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('cashier', 'manager')),
  pin_hash text NOT NULL CHECK (pin_hash LIKE 'scrypt$%'),
  active boolean NOT NULL DEFAULT true,
  change_seq bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (branch, code)
);
CREATE INDEX cashiers_by_change ON cashiers (branch, change_seq);

-- ---------------------------------------------------------------------------
-- Tills and their credentials. Head office keeps only public keys and token
-- hashes: a leak of this database can neither forge sales nor pull.
-- ---------------------------------------------------------------------------

CREATE TABLE tills (
  branch text NOT NULL REFERENCES branches (code),
  till_no integer NOT NULL CHECK (till_no BETWEEN 1 AND 99),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  -- The highest sequence n such that 1..n are all here (the ✔✔ the till is told).
  acked_seq bigint NOT NULL DEFAULT 0 CHECK (acked_seq >= 0),
  -- The highest sequence received; what is missing between is in till_missing_ranges.
  highest_seq bigint NOT NULL DEFAULT 0 CHECK (highest_seq >= acked_seq),
  last_ingest_at timestamptz,
  -- Device time of the newest batch and the server time it was ingested, for clock skew.
  last_device_time bigint,
  last_pull_at timestamptz,
  PRIMARY KEY (branch, till_no)
);

CREATE TABLE till_missing_ranges (
  branch text NOT NULL,
  till_no integer NOT NULL,
  first_seq bigint NOT NULL,
  last_seq bigint NOT NULL,
  PRIMARY KEY (branch, till_no, first_seq),
  FOREIGN KEY (branch, till_no) REFERENCES tills (branch, till_no),
  CHECK (first_seq >= 1 AND last_seq >= first_seq)
);

CREATE TABLE till_keys (
  key_id text PRIMARY KEY,
  branch text NOT NULL,
  till_no integer NOT NULL,
  -- Ed25519 public key, SubjectPublicKeyInfo DER in base64.
  public_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  FOREIGN KEY (branch, till_no) REFERENCES tills (branch, till_no)
);

CREATE TABLE pull_tokens (
  -- SHA-256 of the token, hex. Tokens are 256 random bits, so a fast hash suffices.
  token_hash text PRIMARY KEY,
  branch text NOT NULL,
  till_no integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  FOREIGN KEY (branch, till_no) REFERENCES tills (branch, till_no)
);

CREATE TABLE admins (
  id uuid PRIMARY KEY,
  email text NOT NULL UNIQUE,
  -- scrypt$N$r$p$salt$hash
  password_hash text NOT NULL CHECK (password_hash LIKE 'scrypt$%'),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE admin_sessions (
  token_hash text PRIMARY KEY,
  admin_id uuid NOT NULL REFERENCES admins (id),
  expires_at timestamptz NOT NULL
);

-- ---------------------------------------------------------------------------
-- Facts from the tills. Insert-only, keyed by the ids the till made, with no
-- foreign keys between them: a refund may arrive before its sale, and every
-- insert is ON CONFLICT DO NOTHING, so the tables converge whatever the order
-- or the number of deliveries.
-- ---------------------------------------------------------------------------

CREATE TABLE ingest_batches (
  id uuid PRIMARY KEY,
  branch text NOT NULL,
  till_no integer NOT NULL,
  first_seq bigint NOT NULL,
  last_seq bigint NOT NULL,
  device_time bigint NOT NULL,
  message_id text NOT NULL,
  ingested_at timestamptz NOT NULL DEFAULT now()
);

-- One row per event: the idempotency key and what sequence tracking counts.
CREATE TABLE till_events (
  id uuid PRIMARY KEY,
  branch text NOT NULL,
  till_no integer NOT NULL,
  seq bigint NOT NULL,
  type text NOT NULL,
  at bigint NOT NULL,
  batch_id uuid NOT NULL,
  UNIQUE (branch, till_no, seq)
);

CREATE TABLE sales (
  id uuid PRIMARY KEY,
  branch text NOT NULL,
  till_no integer NOT NULL,
  seq bigint NOT NULL,
  receipt_no text NOT NULL,
  shift_id uuid NOT NULL,
  cashier_id uuid NOT NULL,
  started_at bigint NOT NULL,
  completed_at bigint NOT NULL,
  subtotal bigint NOT NULL,
  cart_discount bigint NOT NULL,
  cart_discount_approved_by uuid,
  discount_total bigint NOT NULL,
  vat_total bigint NOT NULL,
  total bigint NOT NULL,
  cash_received bigint NOT NULL,
  change bigint NOT NULL
);
CREATE INDEX sales_by_branch_time ON sales (branch, completed_at);

CREATE TABLE sale_lines (
  sale_id uuid NOT NULL,
  line_no integer NOT NULL,
  product_id uuid NOT NULL,
  barcode text,
  name_en text NOT NULL,
  name_bn text NOT NULL,
  unit text NOT NULL,
  quantity bigint NOT NULL,
  unit_price bigint NOT NULL,
  vat_rate integer NOT NULL,
  vat_mode text NOT NULL,
  gross bigint NOT NULL,
  line_discount bigint NOT NULL,
  cart_discount_share bigint NOT NULL,
  net bigint NOT NULL,
  vat bigint NOT NULL,
  discount_approved_by uuid,
  PRIMARY KEY (sale_id, line_no)
);

CREATE TABLE sale_payments (
  sale_id uuid NOT NULL,
  payment_no integer NOT NULL,
  method text NOT NULL,
  amount bigint NOT NULL,
  reference text,
  PRIMARY KEY (sale_id, payment_no)
);

CREATE TABLE voids (
  id uuid PRIMARY KEY,
  sale_id uuid NOT NULL,
  branch text NOT NULL,
  till_no integer NOT NULL,
  seq bigint NOT NULL,
  receipt_no text NOT NULL,
  shift_id uuid NOT NULL,
  cashier_id uuid NOT NULL,
  manager_id uuid NOT NULL,
  reason text NOT NULL,
  voided_at bigint NOT NULL
);
CREATE INDEX voids_by_sale ON voids (sale_id);

CREATE TABLE refunds (
  id uuid PRIMARY KEY,
  sale_id uuid NOT NULL,
  branch text NOT NULL,
  till_no integer NOT NULL,
  seq bigint NOT NULL,
  receipt_no text NOT NULL,
  shift_id uuid NOT NULL,
  cashier_id uuid NOT NULL,
  manager_id uuid NOT NULL,
  method text NOT NULL,
  reference text,
  total bigint NOT NULL,
  vat_total bigint NOT NULL,
  reason text NOT NULL,
  refunded_at bigint NOT NULL
);
CREATE INDEX refunds_by_sale ON refunds (sale_id);

CREATE TABLE refund_lines (
  refund_id uuid NOT NULL,
  line_no integer NOT NULL,
  product_id uuid NOT NULL,
  quantity bigint NOT NULL,
  amount bigint NOT NULL,
  vat bigint NOT NULL,
  PRIMARY KEY (refund_id, line_no)
);

CREATE TABLE shifts (
  id uuid PRIMARY KEY,
  branch text NOT NULL,
  till_no integer NOT NULL,
  seq bigint NOT NULL,
  cashier_id uuid NOT NULL,
  opening_float bigint NOT NULL,
  opened_at bigint NOT NULL
);

-- A separate fact rather than an update of shifts, so that a close that
-- arrives before its open is kept all the same.
CREATE TABLE shift_closes (
  shift_id uuid PRIMARY KEY,
  branch text NOT NULL,
  till_no integer NOT NULL,
  seq bigint NOT NULL,
  cashier_id uuid NOT NULL,
  closed_by uuid NOT NULL,
  opened_at bigint NOT NULL,
  closed_at bigint NOT NULL,
  expected_cash bigint NOT NULL,
  counted_cash bigint NOT NULL,
  difference bigint NOT NULL,
  denominations jsonb NOT NULL,
  z_report jsonb NOT NULL
);

-- Stock is the sum of movements: negative for a sale line, positive for a
-- refund line and for each line of a voided sale. Keyed by the fact and the
-- line, so a movement is made once whichever of a sale and its void comes
-- first.
CREATE TABLE stock_movements (
  ref_id uuid NOT NULL,
  line_no integer NOT NULL,
  branch text NOT NULL,
  product_id uuid NOT NULL,
  quantity bigint NOT NULL,
  reason text NOT NULL CHECK (reason IN ('sale', 'void', 'refund')),
  at bigint NOT NULL,
  PRIMARY KEY (ref_id, line_no)
);
CREATE INDEX stock_movements_by_product ON stock_movements (branch, product_id);

-- What the worker could not ingest, with why; the message itself also went
-- to the poison queue.
CREATE TABLE rejected_messages (
  message_id text PRIMARY KEY,
  queue text NOT NULL,
  branch text,
  till_no integer,
  code text NOT NULL,
  field text NOT NULL,
  reason text NOT NULL,
  dequeue_count integer NOT NULL,
  message_text text NOT NULL,
  rejected_at timestamptz NOT NULL DEFAULT now()
);
