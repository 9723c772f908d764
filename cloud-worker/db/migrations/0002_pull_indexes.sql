-- Indexes for the branches' pull (repositories/pull-repository.ts): each kind
-- of master data is read by a keyset query in (change_seq, id) order from the
-- cursor, so a page starts at its first row in the index instead of scanning
-- and sorting everything in the change the cursor stopped in. They replace
-- the indexes on change_seq alone, which they cover.

CREATE INDEX products_by_change_id ON products (change_seq, id);
DROP INDEX products_by_change;

CREATE INDEX cashiers_by_change_id ON cashiers (branch, change_seq, id);
DROP INDEX cashiers_by_change;
