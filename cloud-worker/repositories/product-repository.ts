import { randomUUID } from 'node:crypto';
import {
  parseCatalogCsv,
  type CatalogProduct,
  type CatalogRowError,
  type CatalogSource,
} from '../../shared/catalog-csv';
import type { PulledProduct } from '../../shared/wire/pull';
import type { Database, Queryable } from '../db/database';
import { masterDataChange, upsertProduct } from './master-data-repository';

/**
 * Head office's view of the catalog: reading products, importing a catalog
 * from CSV (previewed first, then written all or nothing), and price or VAT
 * changes that wait for the time they take effect.
 */
const PRODUCT_COLUMNS = `p.id, p.sku, p.name_en AS "nameEn", p.name_bn AS "nameBn", p.category, p.unit,
  p.price::int AS price, p.vat_rate AS "vatRate", p.vat_mode AS "vatMode", p.active,
  coalesce((SELECT array_agg(barcode ORDER BY barcode) FROM product_barcodes WHERE product_id = p.id), '{}') AS barcodes`;

export interface ProductListItem extends PulledProduct {
  readonly changeSeq: number;
  readonly scheduled: ScheduledChange[];
}

export interface ScheduledChange {
  readonly id: string;
  readonly productId: string;
  readonly effectiveAt: number;
  readonly price: number | null;
  readonly vatRate: number | null;
  readonly vatMode: 'inclusive' | 'exclusive' | null;
}

/** A product as it is now, locked for update when inside a change. */
export async function readProduct(tx: Queryable, id: string, forUpdate = false): Promise<PulledProduct | undefined> {
  const [row] = await tx.query<PulledProduct & Record<string, unknown>>(
    `SELECT ${PRODUCT_COLUMNS} FROM products p WHERE p.id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return row;
}

export async function listProducts(
  db: Queryable,
  opts: { q?: string | undefined; limit: number; offset: number },
): Promise<{ products: ProductListItem[]; total: number }> {
  const q = opts.q ? `%${opts.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const where = `($1::text IS NULL OR p.sku ILIKE $1 OR p.name_en ILIKE $1 OR p.name_bn ILIKE $1 OR p.category ILIKE $1
    OR EXISTS (SELECT 1 FROM product_barcodes b WHERE b.product_id = p.id AND b.barcode ILIKE $1))`;
  const rows = await db.query<PulledProduct & { changeSeq: number }>(
    `SELECT ${PRODUCT_COLUMNS}, p.change_seq::int AS "changeSeq" FROM products p WHERE ${where}
      ORDER BY p.name_en, p.sku LIMIT $2 OFFSET $3`,
    [q, opts.limit, opts.offset],
  );
  const [count] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM products p WHERE ${where}`, [q]);
  const scheduled = await pendingChanges(
    db,
    rows.map((r) => r.id),
  );
  return {
    products: rows.map((r) => ({ ...r, scheduled: scheduled.filter((s) => s.productId === r.id) })),
    total: count?.n ?? 0,
  };
}

async function pendingChanges(db: Queryable, productIds: readonly string[]): Promise<ScheduledChange[]> {
  const rows = await db.query<{
    id: string;
    product_id: string;
    effective_at: Date;
    price: string | number | null;
    vat_rate: number | null;
    vat_mode: 'inclusive' | 'exclusive' | null;
  }>(
    `SELECT id, product_id, effective_at, price, vat_rate, vat_mode FROM scheduled_product_changes
      WHERE product_id = ANY($1::uuid[]) AND applied_at IS NULL AND cancelled_at IS NULL ORDER BY effective_at, created_at`,
    [productIds],
  );
  return rows.map((r) => ({
    id: r.id,
    productId: r.product_id,
    effectiveAt: new Date(r.effective_at).getTime(),
    price: r.price === null ? null : Number(r.price),
    vatRate: r.vat_rate,
    vatMode: r.vat_mode,
  }));
}

export interface PriceChange {
  readonly price?: number | undefined;
  readonly vatRate?: number | undefined;
  readonly vatMode?: 'inclusive' | 'exclusive' | undefined;
}

/**
 * A price or VAT change: applied now (a new change_seq, so every till gets it
 * on its next pull) when its time has come, else kept aside until
 * `applyDueChanges` finds it due. Returns the change_seq when applied now.
 */
export async function changePrice(
  db: Database,
  input: PriceChange & { productId: string; effectiveAt: number; by: string },
  now = Date.now(),
): Promise<{ applied: boolean; changeSeq: number | null; scheduledId: string | null } | undefined> {
  if (input.effectiveAt <= now) {
    const changeSeq = await masterDataChange(db, async (tx, seq) => {
      const current = await readProduct(tx, input.productId, true);
      if (!current) return undefined;
      await upsertProduct(tx, seq, merge(current, input));
      return seq;
    });
    return changeSeq === undefined ? undefined : { applied: true, changeSeq, scheduledId: null };
  }
  const id = randomUUID();
  const rows = await db.query(
    `INSERT INTO scheduled_product_changes (id, product_id, effective_at, price, vat_rate, vat_mode, created_by)
     SELECT $1, p.id, to_timestamp($3::double precision / 1000), $4, $5, $6, $7 FROM products p WHERE p.id = $2
     RETURNING 1`,
    [
      id,
      input.productId,
      input.effectiveAt,
      input.price ?? null,
      input.vatRate ?? null,
      input.vatMode ?? null,
      input.by,
    ],
  );
  return rows.length === 0 ? undefined : { applied: false, changeSeq: null, scheduledId: id };
}

export async function cancelScheduledChange(db: Queryable, id: string): Promise<boolean> {
  const rows = await db.query(
    `UPDATE scheduled_product_changes SET cancelled_at = now()
      WHERE id = $1 AND applied_at IS NULL AND cancelled_at IS NULL RETURNING 1`,
    [id],
  );
  return rows.length > 0;
}

function merge(p: PulledProduct, c: PriceChange): PulledProduct {
  return { ...p, price: c.price ?? p.price, vatRate: c.vatRate ?? p.vatRate, vatMode: c.vatMode ?? p.vatMode };
}

/**
 * Applies every scheduled change whose time has come, oldest first, under one
 * new change_seq. Rows are claimed with SKIP LOCKED, so the API processes and
 * the pull path can all call this without applying anything twice. Returns
 * how many were applied.
 */
export async function applyDueChanges(db: Database, now = Date.now()): Promise<number> {
  const due = await db.query(
    `SELECT 1 FROM scheduled_product_changes
      WHERE applied_at IS NULL AND cancelled_at IS NULL AND effective_at <= to_timestamp($1::double precision / 1000) LIMIT 1`,
    [now],
  );
  if (due.length === 0) return 0;
  return masterDataChange(db, async (tx, seq) => {
    const rows = await tx.query<{
      id: string;
      product_id: string;
      price: string | number | null;
      vat_rate: number | null;
      vat_mode: 'inclusive' | 'exclusive' | null;
    }>(
      `SELECT id, product_id, price, vat_rate, vat_mode FROM scheduled_product_changes
        WHERE applied_at IS NULL AND cancelled_at IS NULL AND effective_at <= to_timestamp($1::double precision / 1000)
        ORDER BY effective_at, created_at FOR UPDATE SKIP LOCKED`,
      [now],
    );
    for (const r of rows) {
      const current = await readProduct(tx, r.product_id, true);
      if (!current) continue;
      await upsertProduct(
        tx,
        seq,
        merge(current, {
          price: r.price === null ? undefined : Number(r.price),
          vatRate: r.vat_rate ?? undefined,
          vatMode: r.vat_mode ?? undefined,
        }),
      );
    }
    await tx.query(
      'UPDATE scheduled_product_changes SET applied_at = now(), applied_change_seq = $2 WHERE id = ANY($1::uuid[])',
      [rows.map((r) => r.id), seq],
    );
    return rows.length;
  });
}

export interface ImportPreviewRow {
  readonly line: number;
  readonly source: CatalogSource;
  readonly action: 'create' | 'update' | 'unchanged' | 'error';
  readonly product: CatalogProduct | null;
  /** The product's fields before, for an update. */
  readonly before: CatalogProduct | null;
}

export interface ImportPreview {
  readonly rows: ImportPreviewRow[];
  readonly errors: CatalogRowError[];
  readonly counts: { create: number; update: number; unchanged: number; error: number };
}

/** What importing this CSV would do, row by row, and every row's errors; writes nothing. */
export async function previewCatalogImport(db: Queryable, csv: string): Promise<ImportPreview> {
  const parsed = parseCatalogCsv(csv);
  const products = parsed.rows.flatMap((r) => (r.product ? [r.product] : []));
  const existing = await db.query<PulledProduct & Record<string, unknown>>(
    `SELECT ${PRODUCT_COLUMNS} FROM products p WHERE p.sku = ANY($1::text[])`,
    [products.map((p) => p.sku)],
  );
  const bySku = new Map(existing.map((p) => [p.sku, p]));
  const owners = await db.query<{ barcode: string; sku: string }>(
    `SELECT b.barcode, p.sku FROM product_barcodes b JOIN products p ON p.id = b.product_id
      WHERE b.barcode = ANY($1::text[])`,
    [products.flatMap((p) => p.barcodes)],
  );
  const ownerOf = new Map(owners.map((o) => [o.barcode, o.sku]));
  const errors = [...parsed.errors];
  const rows: ImportPreviewRow[] = parsed.rows.map(({ line, product, source }) => {
    if (!product) return { line, source, action: 'error', product: null, before: null };
    for (const b of product.barcodes) {
      const owner = ownerOf.get(b);
      if (owner !== undefined && owner !== product.sku) {
        errors.push({ line, field: 'barcodes', reason: `barcode ${b} belongs to product ${owner}` });
        return { line, source, action: 'error', product, before: null };
      }
    }
    const found = bySku.get(product.sku);
    if (!found) return { line, source, action: 'create', product, before: null };
    const before = withoutId(found);
    const same = JSON.stringify(normalise(before)) === JSON.stringify(normalise(product));
    return { line, source, action: same ? 'unchanged' : 'update', product, before };
  });
  errors.sort((a, b) => a.line - b.line);
  const counts = { create: 0, update: 0, unchanged: 0, error: 0 };
  for (const r of rows) counts[r.action] += 1;
  return { rows, errors, counts };
}

export function withoutId(p: PulledProduct): CatalogProduct {
  return {
    sku: p.sku,
    nameEn: p.nameEn,
    nameBn: p.nameBn,
    category: p.category,
    unit: p.unit,
    price: p.price,
    vatRate: p.vatRate,
    vatMode: p.vatMode,
    active: p.active,
    barcodes: p.barcodes,
  };
}

function normalise(p: CatalogProduct): CatalogProduct {
  return { ...p, price: Number(p.price), barcodes: [...p.barcodes].sort() };
}

/**
 * Imports the CSV in one master-data change: every row or none. The preview
 * is computed again inside the transaction, so what was shown and what is
 * written cannot drift apart unnoticed: any error aborts with the errors.
 */
export async function commitCatalogImport(
  db: Database,
  csv: string,
): Promise<{ ok: true; changeSeq: number; counts: ImportPreview['counts'] } | { ok: false; preview: ImportPreview }> {
  try {
    return await masterDataChange(db, (tx, seq) => writeImport(tx, seq, csv));
  } catch (error) {
    if (error instanceof ImportRejected) return { ok: false, preview: error.preview };
    throw error;
  }
}

class ImportRejected extends Error {
  constructor(readonly preview: ImportPreview) {
    super(`the import has ${preview.errors.length} errors`);
  }
}

async function writeImport(tx: Queryable, seq: number, csv: string) {
  const preview = await previewCatalogImport(tx, csv);
  if (preview.errors.length > 0) throw new ImportRejected(preview);
  const ids = new Map(
    (
      await tx.query<{ id: string; sku: string }>('SELECT id, sku FROM products WHERE sku = ANY($1::text[])', [
        preview.rows.map((r) => r.product!.sku),
      ])
    ).map((r) => [r.sku, r.id]),
  );
  for (const row of preview.rows) {
    if (row.action === 'unchanged' || !row.product) continue;
    await upsertProduct(tx, seq, { ...row.product, id: ids.get(row.product.sku) ?? randomUUID() });
  }
  return { ok: true as const, changeSeq: seq, counts: preview.counts };
}
