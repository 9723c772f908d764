-- When each till worked offline, from its till.offline and till.online
-- events. A start and its end are facts of their own, each written once by
-- the event that carries it (the event row is the gate), in whatever order
-- they arrive: a period is the two joined by its id, open while no end has
-- come. Times are the till's own clock, so a period's length is right even
-- when that clock is off.
CREATE TABLE till_offline_starts (
  period_id uuid PRIMARY KEY,
  branch text NOT NULL,
  till_no integer NOT NULL,
  seq bigint NOT NULL,
  cause text NOT NULL CHECK (cause IN ('network', 'manual')),
  started_at bigint NOT NULL,
  started_by uuid,
  detail text NOT NULL
);
CREATE INDEX till_offline_starts_by_till ON till_offline_starts (branch, till_no, started_at);

CREATE TABLE till_offline_ends (
  period_id uuid PRIMARY KEY,
  branch text NOT NULL,
  till_no integer NOT NULL,
  seq bigint NOT NULL,
  cause text NOT NULL CHECK (cause IN ('network', 'manual')),
  ended_at bigint NOT NULL,
  ended_by uuid
);

-- What each till last said of its database on a pull. The age of its oldest
-- unconfirmed sale is measured by the till's clock and dated by ours
-- (db_reported_at), so head office ages it without trusting the till's time.
ALTER TABLE tills ADD COLUMN db_bytes bigint CHECK (db_bytes >= 0);
ALTER TABLE tills ADD COLUMN rows_waiting integer CHECK (rows_waiting >= 0);
-- The till's last sequence when it reported: what still waits is this less
-- acked_seq, which stays right as acknowledgements move on after the report.
ALTER TABLE tills ADD COLUMN reported_last_seq bigint;
ALTER TABLE tills ADD COLUMN oldest_unsynced_seq bigint;
ALTER TABLE tills ADD COLUMN oldest_unsynced_age_ms bigint CHECK (oldest_unsynced_age_ms >= 0);
ALTER TABLE tills ADD COLUMN db_reported_at timestamptz;
