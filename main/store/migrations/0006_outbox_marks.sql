-- The sync marks move out of the outbox rows. Marking a message's range ✔
-- rewrote every event row it covered, JSON and all (some 13 MB for 10,000
-- sales), which was a third of a push's work; now a mark writes one small row.
--
-- ✔✔ is always a prefix of the outbox: head office acknowledges "every event
-- up to n", and outbox rows are pruned only once acknowledged. So above
-- through_seq the outbox has every sequence up to its counter, and one number
-- says what is ✔✔.
CREATE TABLE outbox_acked (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  through_seq INTEGER NOT NULL CHECK (through_seq >= 0)
) STRICT;

-- ✔ without ✔✔: ranges of sequences above through_seq that the queue
-- accepted, and when. Ranges never overlap; a sequence in none is pending.
CREATE TABLE outbox_queued (
  first_seq INTEGER PRIMARY KEY,
  last_seq INTEGER NOT NULL,
  queued_at INTEGER NOT NULL,
  CHECK (last_seq >= first_seq)
) STRICT;

-- Everything below the first unacknowledged row was acknowledged (pruned
-- rows were); with no such row, everything the till ever wrote was.
INSERT INTO outbox_acked (id, through_seq)
VALUES (1, coalesce((SELECT min(seq) - 1 FROM outbox WHERE acked_at IS NULL),
                    (SELECT last FROM counters WHERE name = 'outbox')));

-- Runs of consecutive sequences queued at the same moment become one range.
INSERT INTO outbox_queued (first_seq, last_seq, queued_at)
SELECT min(seq), max(seq), queued_at
FROM (SELECT seq, queued_at, seq - row_number() OVER (PARTITION BY queued_at ORDER BY seq) AS run
      FROM outbox
      WHERE queued_at IS NOT NULL AND seq > (SELECT through_seq FROM outbox_acked))
GROUP BY queued_at, run;

DROP INDEX outbox_unqueued;
DROP INDEX outbox_by_acked;
ALTER TABLE outbox DROP COLUMN queued_at;
ALTER TABLE outbox DROP COLUMN acked_at;
