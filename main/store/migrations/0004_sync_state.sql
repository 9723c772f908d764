-- Where the till's sync stands, readable by any process on the till (the
-- app's header, `haat-sync --status`): the server's pull cursor, the latest
-- queue credential (an add-only SAS), and how the last runs went.
CREATE TABLE sync_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  pull_cursor TEXT NOT NULL DEFAULT '0',
  queue_url TEXT,
  last_pull_at INTEGER,
  last_server_time INTEGER,
  last_attempt_at INTEGER,
  last_success_at INTEGER,
  last_error_kind TEXT,
  last_error TEXT,
  last_error_at INTEGER
) STRICT;
INSERT INTO sync_state (id) VALUES (1);
