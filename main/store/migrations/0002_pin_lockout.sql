-- Wrong PINs in a row at this till, so that guessing a manager's PIN at the
-- counter is slowed to a crawl. One row per kind of PIN entry.
CREATE TABLE pin_attempts (
  scope TEXT PRIMARY KEY CHECK (scope IN ('login', 'approval')),
  failures INTEGER NOT NULL CHECK (failures >= 0),
  locked_until INTEGER
) STRICT;
