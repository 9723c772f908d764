-- Queue messages packed while the till was offline, ready to send the
-- moment the network is back: a shop's connection may come back for only a
-- minute, and that minute goes to sending rather than to compressing a long
-- day's sales. Each row is a whole message text, signed with the key named
-- in key_id, for the outbox events first_seq..last_seq (no hole between).
-- A push sends a row as it is while every event in its range is pending,
-- and packs afresh what no such row covers. Rows go when head office
-- confirms their events (✔✔), or when the till's key is no longer key_id.
CREATE TABLE outbox_sealed (
  first_seq INTEGER PRIMARY KEY,
  last_seq INTEGER NOT NULL,
  events INTEGER NOT NULL CHECK (events = last_seq - first_seq + 1),
  sales INTEGER NOT NULL CHECK (sales BETWEEN 0 AND events),
  key_id TEXT NOT NULL,
  text TEXT NOT NULL,
  sealed_at INTEGER NOT NULL,
  CHECK (last_seq >= first_seq)
) STRICT;
