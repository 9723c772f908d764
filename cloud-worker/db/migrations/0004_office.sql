-- Head office's web app: roles and cookie sessions for its users, login
-- throttling, price and VAT changes that wait for their time, worker
-- heartbeats for the sync health page, and re-driven rejected messages.

-- Every existing login keeps what it could do: the admin API had only admins.
ALTER TABLE admins ADD COLUMN role text NOT NULL DEFAULT 'admin' CHECK (role IN ('admin', 'viewer'));
ALTER TABLE admins ADD COLUMN active boolean NOT NULL DEFAULT true;

-- A session is either a bearer token for scripts (csrf_token NULL) or the
-- browser's cookie, which carries a CSRF token the page must echo on every change.
ALTER TABLE admin_sessions ADD COLUMN csrf_token text;
ALTER TABLE admin_sessions ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX admin_sessions_by_expiry ON admin_sessions (expires_at);

-- Failed logins, per account and per client address, counted over a window.
CREATE TABLE login_failures (
  scope text NOT NULL CHECK (scope IN ('account', 'address')),
  key text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_by_key ON login_failures (scope, key, at);

-- A price or VAT change that takes effect later. It is not master data until
-- it is due: only then is it applied to products under a new change_seq, so
-- no till can pull it early.
CREATE TABLE scheduled_product_changes (
  id uuid PRIMARY KEY,
  product_id uuid NOT NULL REFERENCES products (id),
  effective_at timestamptz NOT NULL,
  price bigint CHECK (price >= 0),
  vat_rate integer CHECK (vat_rate BETWEEN 0 AND 10000),
  vat_mode text CHECK (vat_mode IN ('inclusive', 'exclusive')),
  created_by uuid REFERENCES admins (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  applied_at timestamptz,
  applied_change_seq bigint,
  cancelled_at timestamptz,
  CHECK (price IS NOT NULL OR vat_rate IS NOT NULL OR vat_mode IS NOT NULL)
);
CREATE INDEX scheduled_product_changes_due ON scheduled_product_changes (effective_at)
  WHERE applied_at IS NULL AND cancelled_at IS NULL;

-- Each queue worker process says it is alive every few seconds.
CREATE TABLE worker_heartbeats (
  worker_id text PRIMARY KEY,
  host text NOT NULL,
  pid integer NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  seen_at timestamptz NOT NULL DEFAULT now(),
  messages_ingested bigint NOT NULL DEFAULT 0
);

-- A rejected message head office sent back to the main queue after a fix.
ALTER TABLE rejected_messages ADD COLUMN redriven_at timestamptz;
ALTER TABLE rejected_messages ADD COLUMN redriven_by uuid REFERENCES admins (id);
CREATE INDEX rejected_messages_by_time ON rejected_messages (rejected_at);

-- For the health page: the newest batch of each till and what arrived today.
-- (The sales on either side of a gap, whose receipt numbers name the missing
-- ones, are found by sales_by_till_seq of 0003.)
CREATE INDEX ingest_batches_by_till_time ON ingest_batches (branch, till_no, ingested_at);
CREATE INDEX ingest_batches_by_time ON ingest_batches (ingested_at);
