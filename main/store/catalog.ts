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

/** The words a search looks for: what was typed, in NFC, lowercase, split at spaces. */
export function searchWords(query: string): string[] {
  return query.normalize('NFC').trim().toLowerCase().split(/\s+/).filter(Boolean);
}

/** What ranking needs of a product that matched. */
export interface NameMatch {
  readonly rowid: number;
  readonly name_en: string;
  readonly name_bn: string;
}

const WORD_CHARACTER = /[\p{L}\p{M}\p{N}]/u;

function isWordCharacter(c: string | undefined): boolean {
  return c !== undefined && WORD_CHARACTER.test(c);
}

/** How well `word` occurs in `name`: 3 as a whole word, 2 at the start of a word, 1 inside one, 0 not at all. */
function matchQuality(name: string, word: string): number {
  let best = 0;
  for (let at = name.indexOf(word); at !== -1; at = name.indexOf(word, at + 1)) {
    if (isWordCharacter(name[at - 1])) best = Math.max(best, 1);
    else if (isWordCharacter(name[at + word.length])) best = 2;
    else return 3;
  }
  return best;
}

/** How well one name of a product matches the words typed. */
interface Relevance {
  /** The whole query is the whole name. */
  readonly exact: boolean;
  /** Words found anywhere. */
  readonly found: number;
  /** Words found at the start of a word. */
  readonly starts: number;
  /** Words found as whole words. */
  readonly whole: number;
  readonly length: number;
}

function nameRelevance(words: readonly string[], phrase: string, name: string): Relevance {
  const lower = name.toLowerCase();
  let found = 0;
  let starts = 0;
  let whole = 0;
  for (const w of words) {
    const quality = matchQuality(lower, w);
    if (quality >= 1) found += 1;
    if (quality >= 2) starts += 1;
    if (quality === 3) whole += 1;
  }
  return { exact: lower === phrase, found, starts, whole, length: lower.length };
}

/** Negative when `a` is a better kind of match than `b`, whatever their lengths. */
function compareKinds(a: Relevance, b: Relevance): number {
  return Number(b.exact) - Number(a.exact) || b.found - a.found || b.starts - a.starts || b.whole - a.whole;
}

/** Negative when `a` ranks before `b`: the better kind of match, then the shorter name. */
function compareRelevance(a: Relevance, b: Relevance): number {
  return compareKinds(a, b) || a.length - b.length;
}

function relevance(words: readonly string[], phrase: string, match: NameMatch): Relevance {
  const en = nameRelevance(words, phrase, match.name_en);
  const bn = nameRelevance(words, phrase, match.name_bn);
  return compareRelevance(en, bn) <= 0 ? en : bn;
}

/**
 * Negative when `a` is a better kind of match than `b` for the words typed,
 * zero when they are of the same kind (then only their lengths break the tie).
 */
export function compareMatchKinds(words: readonly string[], a: NameMatch, b: NameMatch): number {
  const phrase = words.join(' ');
  return compareKinds(relevance(words, phrase, a), relevance(words, phrase, b));
}

/**
 * The best `limit` of `matches` for the words typed, best first, each product
 * ranked by the better of its two names: the name that is exactly what was
 * typed; then names with more of the words, then more of them at the start of
 * a word ("soap" finds "Lux Soap" before "Soapnut"), then more whole words;
 * then shorter names, which say less besides what was asked.
 */
export function bestMatches(words: readonly string[], matches: readonly NameMatch[], limit: number): NameMatch[] {
  const phrase = words.join(' ');
  return matches
    .map((match) => ({ match, relevance: relevance(words, phrase, match) }))
    .sort((a, b) => compareRelevance(a.relevance, b.relevance) || a.match.rowid - b.match.rowid)
    .slice(0, limit)
    .map((r) => r.match);
}

/** The products with these rowids, in the order given. */
export function productsByRowid(db: ReadableDB, rowids: readonly number[]): Product[] {
  if (rowids.length === 0) return [];
  const rows = sql(
    db,
    `SELECT p.rowid AS row_id, ${PRODUCT_COLUMNS} FROM products p WHERE p.rowid IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(rowids)) as (ProductRow & { row_id: number })[];
  const byRowid = new Map(rows.map((r) => [r.row_id, r]));
  return rowids.flatMap((id) => {
    const row = byRowid.get(id);
    return row ? [rowToProduct(row)] : [];
  });
}

/**
 * How many matches a search fetches to rank at a time. A common word of three
 * letters matches thousands of a chain's products, and fetching every one of
 * them to rank it takes longer than a cashier should wait.
 */
export const SEARCH_CANDIDATES = 100;

/** FTS5 phrases, quoted so that what was typed is text, never query syntax. */
function phrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/** Names with every word anywhere. */
function anywhereQuery(words: readonly string[]): string {
  return words.map(phrase).join(' AND ');
}

/** Names that start with all that was typed, such as the full name of a product. */
function startsWithQuery(words: readonly string[]): string {
  return `^${phrase(words.join(' '))}`;
}

/**
 * Names with every word at the start of a word: at the start of a name (`^`)
 * or after a space, which the trigram index holds like any character.
 */
function wordStartQuery(words: readonly string[]): string {
  return words.map((w) => `(^${phrase(w)} OR ${phrase(` ${w}`)})`).join(' AND ');
}

/** The first SEARCH_CANDIDATES active products the index finds for `ftsQuery`, with their names. */
function candidates(db: ReadableDB, ftsQuery: string): NameMatch[] {
  return sql(
    db,
    `SELECT p.rowid AS rowid, p.name_en, p.name_bn FROM products_fts f JOIN products p ON p.rowid = f.rowid
     WHERE products_fts MATCH ? AND p.active = 1 LIMIT ?`,
  ).all(ftsQuery, SEARCH_CANDIDATES) as NameMatch[];
}

/** The first SEARCH_CANDIDATES products the index finds, without reading them. */
function candidateRowids(db: ReadableDB, ftsQuery: string): number[] {
  return sql(db, 'SELECT rowid FROM products_fts WHERE products_fts MATCH ? LIMIT ?')
    .pluck()
    .all(ftsQuery, SEARCH_CANDIDATES) as number[];
}

function namesOf(db: ReadableDB, rowids: readonly number[]): NameMatch[] {
  return sql(
    db,
    `SELECT p.rowid AS rowid, p.name_en, p.name_bn FROM products p
     WHERE p.rowid IN (SELECT value FROM json_each(?)) AND p.active = 1`,
  ).all(JSON.stringify(rowids)) as NameMatch[];
}

/** `into` with the matches of `more` it does not hold yet. */
function merge(into: NameMatch[], more: readonly NameMatch[]): NameMatch[] {
  const found = new Set(into.map((m) => m.rowid));
  for (const m of more) {
    if (found.has(m.rowid)) continue;
    found.add(m.rowid);
    into.push(m);
  }
  return into;
}

/**
 * Active products whose English or Bangla name contains every word typed,
 * best match first (see bestMatches). Words of three or more characters go
 * through the trigram index; a query of only shorter words matches names
 * starting with them.
 *
 * When the index finds fewer than SEARCH_CANDIDATES matches, all of them are
 * ranked, so the answer is the best of all. When it finds more, what is
 * ranked is up to SEARCH_CANDIDATES of each of the kinds that outrank the
 * rest: names that start with what was typed (so a full product name finds
 * its product), and names with every word at the start of a word; and, only
 * if those are fewer than `limit`, the first matches the index gave. So a
 * common word still shows its best kind of match, without fetching thousands
 * of names or scoring every match with bm25, which took milliseconds.
 */
export function searchProducts(db: ReadableDB, query: string, limit = 20): Product[] {
  const words = searchWords(query);
  if (words.length === 0) return [];
  const long = words.filter((w) => [...w].length >= 3);
  const short = words.filter((w) => [...w].length < 3);
  const hasShort = (m: NameMatch) => short.every((w) => m.name_en.toLowerCase().includes(w) || m.name_bn.includes(w));
  let matches: NameMatch[];
  if (long.length > 0) {
    const rowids = candidateRowids(db, anywhereQuery(long));
    if (rowids.length < SEARCH_CANDIDATES) {
      matches = namesOf(db, rowids).filter(hasShort);
    } else {
      // More matches than are ranked: rank the kinds that rank best, and the
      // first ones the index gave only when those are too few.
      matches = merge(candidates(db, startsWithQuery(words)), candidates(db, wordStartQuery(long))).filter(hasShort);
      if (matches.length < limit) matches = merge(matches, namesOf(db, rowids).filter(hasShort));
    }
  } else {
    const prefix = `${(short[0] ?? '').replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    matches = (
      sql(
        db,
        `SELECT p.rowid AS rowid, p.name_en, p.name_bn FROM products p
         WHERE p.active = 1 AND (p.name_en LIKE ? ESCAPE '\\' OR p.name_bn LIKE ? ESCAPE '\\')
         LIMIT ?`,
      ).all(prefix, prefix, limit * 5) as NameMatch[]
    ).filter(hasShort);
  }
  return productsByRowid(
    db,
    bestMatches(words, matches, limit).map((m) => m.rowid),
  );
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
