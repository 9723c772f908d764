import type { BranchSettings } from '../../shared/settings';
import type { PulledProduct, PulledStaff } from '../../shared/wire/pull';
import type { Database, Queryable } from '../db/database';

/**
 * Master data (branches' settings, products with their prices and VAT,
 * cashiers) has one writer, head office. Every change runs in
 * `masterDataChange`, which first takes the next value of the single-row
 * change counter and stamps it on every row it writes. The counter's row lock
 * is held to commit, so change n commits before change n + 1 can be numbered:
 * a branch that has read up to n has seen every change numbered n or below,
 * which a plain sequence (numbers handed out in one order, committed in
 * another) cannot promise. See docs/cloud.md.
 */
export async function masterDataChange<T>(
  db: Database,
  fn: (tx: Queryable, changeSeq: number) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ value: number }>(
      'UPDATE change_counter SET value = value + 1 WHERE id = 1 RETURNING value',
    );
    if (!row) throw new Error('change_counter has no row');
    return fn(tx, row.value);
  });
}

export interface NewBranch {
  readonly code: string;
  readonly nameEn: string;
  readonly nameBn: string;
  readonly settings: BranchSettings;
}

export async function insertBranch(tx: Queryable, changeSeq: number, b: NewBranch): Promise<void> {
  await tx.query(
    'INSERT INTO branches (code, name_en, name_bn, settings, change_seq) VALUES ($1, $2, $3, $4::jsonb, $5)',
    [b.code, b.nameEn, b.nameBn, JSON.stringify(b.settings), changeSeq],
  );
}

export async function updateBranchSettings(
  tx: Queryable,
  changeSeq: number,
  code: string,
  settings: BranchSettings,
): Promise<boolean> {
  const rows = await tx.query('UPDATE branches SET settings = $2::jsonb, change_seq = $3 WHERE code = $1 RETURNING 1', [
    code,
    JSON.stringify(settings),
    changeSeq,
  ]);
  return rows.length > 0;
}

/**
 * Inserts or replaces a product. A new price or VAT goes into its history;
 * a barcode taken from another product changes that product too, so that
 * every till hears of both.
 */
export async function upsertProduct(tx: Queryable, changeSeq: number, p: PulledProduct): Promise<void> {
  const [old] = await tx.query<{ price: number; vat_rate: number; vat_mode: string }>(
    'SELECT price, vat_rate, vat_mode FROM products WHERE id = $1 FOR UPDATE',
    [p.id],
  );
  await tx.query(
    `INSERT INTO products (id, sku, name_en, name_bn, category, unit, price, vat_rate, vat_mode, active, change_seq)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (id) DO UPDATE SET sku = excluded.sku, name_en = excluded.name_en, name_bn = excluded.name_bn,
       category = excluded.category, unit = excluded.unit, price = excluded.price, vat_rate = excluded.vat_rate,
       vat_mode = excluded.vat_mode, active = excluded.active, change_seq = excluded.change_seq, updated_at = now()`,
    [p.id, p.sku, p.nameEn, p.nameBn, p.category, p.unit, p.price, p.vatRate, p.vatMode, p.active, changeSeq],
  );
  if (!old || old.price !== p.price) {
    await tx.query('INSERT INTO price_history (product_id, change_seq, price) VALUES ($1, $2, $3)', [
      p.id,
      changeSeq,
      p.price,
    ]);
  }
  if (!old || old.vat_rate !== p.vatRate || old.vat_mode !== p.vatMode) {
    await tx.query('INSERT INTO vat_history (product_id, change_seq, vat_rate, vat_mode) VALUES ($1, $2, $3, $4)', [
      p.id,
      changeSeq,
      p.vatRate,
      p.vatMode,
    ]);
  }
  await tx.query('DELETE FROM product_barcodes WHERE product_id = $1 AND NOT (barcode = ANY($2::text[]))', [
    p.id,
    p.barcodes,
  ]);
  await tx.query(
    `UPDATE products SET change_seq = $3, updated_at = now()
      WHERE id IN (SELECT product_id FROM product_barcodes WHERE barcode = ANY($2::text[]) AND product_id <> $1)`,
    [p.id, p.barcodes, changeSeq],
  );
  await tx.query(
    `INSERT INTO product_barcodes (barcode, product_id) SELECT b, $1 FROM unnest($2::text[]) AS b
     ON CONFLICT (barcode) DO UPDATE SET product_id = excluded.product_id`,
    [p.id, p.barcodes],
  );
}

export async function upsertStaff(tx: Queryable, changeSeq: number, branch: string, s: PulledStaff): Promise<void> {
  await tx.query(
    `INSERT INTO cashiers (id, branch, code, name, role, pin_hash, active, change_seq)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, role = excluded.role,
       pin_hash = excluded.pin_hash, active = excluded.active, change_seq = excluded.change_seq, updated_at = now()
     WHERE cashiers.branch = excluded.branch`,
    [s.id, branch, s.code, s.name, s.role, s.pinHash, s.active, changeSeq],
  );
}
