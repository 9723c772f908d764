import type { ProductId } from '../../shared/ids';
import type { Poisha } from '../../shared/money';
import type { Unit } from '../../shared/quantity';
import type { VatMode, VatRate } from '../../shared/vat';
import { sql, type ReadableDB, type WritableDB } from './db';

export interface Product {
  readonly id: ProductId;
  readonly sku: string;
  readonly nameEn: string;
  readonly nameBn: string;
  readonly category: string;
  readonly unit: Unit;
  readonly price: Poisha;
  readonly vatRate: VatRate;
  readonly vatMode: VatMode;
  readonly active: boolean;
  readonly barcodes: readonly string[];
}

interface ProductRow {
  id: string;
  sku: string;
  name_en: string;
  name_bn: string;
  category: string;
  unit: string;
  price: number;
  vat_rate: number;
  vat_mode: string;
  active: number;
  barcodes: string | null;
}

function rowToProduct(row: ProductRow): Product {
  return {
    id: row.id as ProductId,
    sku: row.sku,
    nameEn: row.name_en,
    nameBn: row.name_bn,
    category: row.category,
    unit: row.unit as Unit,
    price: row.price as Poisha,
    vatRate: row.vat_rate as VatRate,
    vatMode: row.vat_mode as VatMode,
    active: row.active === 1,
    barcodes: row.barcodes ? row.barcodes.split('\u001f') : [],
  };
}

const PRODUCT_COLUMNS = `p.id, p.sku, p.name_en, p.name_bn, p.category, p.unit, p.price, p.vat_rate, p.vat_mode, p.active,
  (SELECT group_concat(barcode, char(31)) FROM barcodes b WHERE b.product_id = p.id) AS barcodes`;

/**
 * Inserts or replaces a product and its barcodes, as the pull from head
 * office does. A barcode moved from another product moves with it.
 */
export function upsertProduct(db: WritableDB, product: Product, now: number): void {
  sql(
    db,
    `INSERT INTO products (id, sku, name_en, name_bn, category, unit, price, vat_rate, vat_mode, active, updated_at)
     VALUES (@id, @sku, @nameEn, @nameBn, @category, @unit, @price, @vatRate, @vatMode, @active, @now)
     ON CONFLICT (id) DO UPDATE SET sku = excluded.sku, name_en = excluded.name_en, name_bn = excluded.name_bn,
       category = excluded.category, unit = excluded.unit, price = excluded.price, vat_rate = excluded.vat_rate,
       vat_mode = excluded.vat_mode, active = excluded.active, updated_at = excluded.updated_at`,
  ).run({ ...product, active: product.active ? 1 : 0, now });
  sql(db, 'DELETE FROM barcodes WHERE product_id = ?').run(product.id);
  const insertBarcode = sql(
    db,
    'INSERT INTO barcodes (barcode, product_id) VALUES (?, ?) ON CONFLICT (barcode) DO UPDATE SET product_id = excluded.product_id',
  );
  for (const barcode of product.barcodes) insertBarcode.run(barcode, product.id);
}

export function getProduct(db: ReadableDB, id: string): Product | undefined {
  const row = sql(db, `SELECT ${PRODUCT_COLUMNS} FROM products p WHERE p.id = ?`).get(id) as ProductRow | undefined;
  return row ? rowToProduct(row) : undefined;
}

export function findByBarcode(db: ReadableDB, barcode: string): Product | undefined {
  const row = sql(
    db,
    `SELECT ${PRODUCT_COLUMNS} FROM barcodes bc JOIN products p ON p.id = bc.product_id WHERE bc.barcode = ?`,
  ).get(barcode) as ProductRow | undefined;
  return row ? rowToProduct(row) : undefined;
}

/** Turns what the cashier typed into an FTS5 query of quoted trigram phrases. */
function ftsQuery(words: readonly string[]): string {
  return words.map((w) => `"${w.replaceAll('"', '""')}"`).join(' AND ');
}

/**
 * Active products whose English or Bangla name contains every word typed,
 * best match first. Words of three or more characters go through the trigram
 * index; a query of only shorter words matches names starting with them.
 */
export function searchProducts(db: ReadableDB, query: string, limit = 20): Product[] {
  const words = query.normalize('NFC').trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const long = words.filter((w) => [...w].length >= 3);
  const short = words.filter((w) => [...w].length < 3);
  let rows: ProductRow[];
  if (long.length > 0) {
    rows = sql(
      db,
      `SELECT ${PRODUCT_COLUMNS} FROM products_fts f JOIN products p ON p.rowid = f.rowid
       WHERE products_fts MATCH ? AND p.active = 1 ORDER BY f.rank LIMIT ?`,
    ).all(ftsQuery(long), short.length > 0 ? limit * 5 : limit) as ProductRow[];
    if (short.length > 0) {
      rows = rows
        .filter((r) => short.every((w) => r.name_en.toLowerCase().includes(w) || r.name_bn.includes(w)))
        .slice(0, limit);
    }
  } else {
    const prefix = `${(short[0] ?? '').replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    rows = sql(
      db,
      `SELECT ${PRODUCT_COLUMNS} FROM products p
       WHERE p.active = 1 AND (p.name_en LIKE ? ESCAPE '\\' OR p.name_bn LIKE ? ESCAPE '\\')
       LIMIT ?`,
    ).all(prefix, prefix, limit * 5) as ProductRow[];
    rows = rows
      .filter((r) => short.every((w) => r.name_en.toLowerCase().includes(w) || r.name_bn.includes(w)))
      .slice(0, limit);
  }
  return rows.map(rowToProduct);
}

/** Stock on hand: the sum of every movement of the product at this till (old ones folded into a baseline). */
export function stockOf(db: ReadableDB, productId: string): number {
  const row = sql(
    db,
    `SELECT coalesce((SELECT quantity FROM stock_baseline WHERE product_id = @id), 0)
          + coalesce((SELECT sum(quantity) FROM stock_movements WHERE product_id = @id), 0) AS q`,
  ).get({ id: productId }) as { q: number };
  return row.q;
}
