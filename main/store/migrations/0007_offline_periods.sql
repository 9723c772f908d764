-- When this till worked offline: the network stopped answering (cause
-- 'network', opened and closed by the sync timer) or a manager switched it
-- to Work offline ('manual'). At most one period is open, and the open one
-- says how the till runs after a restart. Each start and end is also an
-- outbox event, which is how head office learns of it.
CREATE TABLE offline_periods (
  id TEXT PRIMARY KEY,
  cause TEXT NOT NULL CHECK (cause IN ('network', 'manual')),
  started_at INTEGER NOT NULL,
  started_by TEXT REFERENCES staff (id),
  detail TEXT NOT NULL,
  ended_at INTEGER,
  ended_by TEXT REFERENCES staff (id),
  end_cause TEXT CHECK (end_cause IN ('network', 'manual')),
  CHECK ((ended_at IS NULL) = (end_cause IS NULL))
) STRICT;
CREATE UNIQUE INDEX offline_periods_one_open ON offline_periods (ended_at IS NULL) WHERE ended_at IS NULL;
