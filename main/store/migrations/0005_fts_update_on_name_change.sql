-- The full-text index is rewritten only when a name really changes. A pull
-- upserts every product it is sent, naming both name columns in its UPDATE,
-- so the old trigger deleted and re-inserted the trigrams of every product
-- whose price alone had changed.
DROP TRIGGER products_fts_update;
CREATE TRIGGER products_fts_update AFTER UPDATE OF name_en, name_bn ON products
WHEN old.name_en IS NOT new.name_en OR old.name_bn IS NOT new.name_bn BEGIN
  INSERT INTO products_fts (products_fts, rowid, name_en, name_bn) VALUES ('delete', old.rowid, old.name_en, old.name_bn);
  INSERT INTO products_fts (rowid, name_en, name_bn) VALUES (new.rowid, new.name_en, new.name_bn);
END;
