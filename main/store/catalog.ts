import type Database from 'better-sqlite3';
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
// Whole statements as constants: a template built on every call is a new
// string that the statement cache must hash again, about 1.5 µs a lookup.
const PRODUCT_BY_ID = `SELECT ${PRODUCT_COLUMNS} FROM products p WHERE p.id = ?`;
const PRODUCT_BY_BARCODE = `SELECT ${PRODUCT_COLUMNS} FROM barcodes bc JOIN products p ON p.id = bc.product_id WHERE bc.barcode = ?`;

/**
 * Products by barcode, per connection: a scan is the till's commonest read,
 * and the same few hundred products are scanned all day. A cached product is
 * served only while the catalog cannot have changed under it: upsertProduct
 * on this connection empties the cache, and `PRAGMA data_version` (checked on
 * every lookup, under a microsecond) changes whenever another connection
 * commits, such as the sync process applying a pull. Nothing is cached inside
 * a transaction, which might yet roll back what it read.
 */
interface BarcodeCache {
  readonly dataVersion: Database.Statement;
  version: number;
  readonly products: Map<string, Product>;
}

/** Enough for every product a busy shop sells in a day; past it the cache starts again. */
const MAX_CACHED_BARCODES = 10_000;

const barcodeCaches = new WeakMap<Database.Database, BarcodeCache>();

function barcodeCache(db: ReadableDB): BarcodeCache {
  let cache = barcodeCaches.get(db);
  if (!cache) {
    const dataVersion = db.prepare('PRAGMA data_version').pluck();
    cache = { dataVersion, version: dataVersion.get() as number, products: new Map() };
    barcodeCaches.set(db, cache);
    return cache;
  }
  const version = cache.dataVersion.get() as number;
  if (version !== cache.version) {
    cache.products.clear();
    cache.version = version;
  }
  return cache;
}

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
  // Any product's barcodes may have moved, not only this one's.
  barcodeCaches.get(db)?.products.clear();
}

export function getProduct(db: ReadableDB, id: string): Product | undefined {
  const row = sql(db, PRODUCT_BY_ID).get(id) as ProductRow | undefined;
  return row ? rowToProduct(row) : undefined;
}

export function findByBarcode(db: ReadableDB, barcode: string): Product | undefined {
  const cache = barcodeCache(db);
  const cached = cache.products.get(barcode);
  if (cached) return cached;
  const row = sql(db, PRODUCT_BY_BARCODE).get(barcode) as ProductRow | undefined;
  if (!row) return undefined;
  const product = rowToProduct(row);
  if (!db.inTransaction) {
    if (cache.products.size >= MAX_CACHED_BARCODES) cache.products.clear();
    // Every later scan shares this object: freeze it, so that no caller can change what the next one sees.
    Object.freeze(product.barcodes);
    cache.products.set(barcode, Object.freeze(product));
  }
  return product;
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
