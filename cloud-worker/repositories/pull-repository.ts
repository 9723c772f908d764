import type { BranchSettings } from '../../shared/settings';
import type { PulledProduct, PulledStaff } from '../../shared/wire/pull';
import type { Queryable } from '../db/database';

/**
 * Reads the master-data changes one branch has not seen. The cursor is the
 * change number everything up to which the branch has (`"n"`), or, when a
 * page ended inside one change, that change with the kind and id of the last
 * row sent (`"n:kind:id"`).
 */
export interface PullCursor {
  readonly seq: number;
  readonly after?: { readonly kind: string; readonly id: string };
}

export function parseCursor(text: string): PullCursor {
  const [seq, kind, id] = text.split(':');
  return kind && id ? { seq: Number(seq), after: { kind, id } } : { seq: Number(seq) };
}

export function formatCursor(c: PullCursor): string {
  return c.after ? `${c.seq}:${c.after.kind}:${c.after.id}` : String(c.seq);
}

export interface MasterDataPage {
  readonly products: PulledProduct[];
  readonly staff: PulledStaff[];
  readonly settings: BranchSettings | null;
  readonly cursor: PullCursor;
  readonly more: boolean;
}

export async function readChanges(
  db: Queryable,
  branch: string,
  cursor: PullCursor,
  limit: number,
): Promise<MasterDataPage> {
  // Read the counter first: the change it names has committed, and so has
  // every lower one (each held the counter's row lock until its commit). The
  // rows up to it are then all visible to the next statement.
  const [counter] = await db.query<{ value: number }>('SELECT value FROM change_counter WHERE id = 1');
  const upTo = counter?.value ?? 0;
  const refs = await db.query<{ change_seq: number; kind: string; id: string }>(
    `SELECT change_seq, kind, id FROM (
        SELECT change_seq, 'product' AS kind, id::text AS id FROM products WHERE change_seq >= $1 AND change_seq <= $2
        UNION ALL
        SELECT change_seq, 'staff', id::text FROM cashiers WHERE branch = $3 AND change_seq >= $1 AND change_seq <= $2
        UNION ALL
        SELECT change_seq, 'settings', code FROM branches WHERE code = $3 AND change_seq >= $1 AND change_seq <= $2
      ) c
      WHERE change_seq > $1 OR (($4::text IS NOT NULL) AND (kind COLLATE "C", id COLLATE "C") > ($4::text COLLATE "C", $5::text COLLATE "C"))
      ORDER BY change_seq, kind COLLATE "C", id COLLATE "C"
      LIMIT $6`,
    [cursor.seq, upTo, branch, cursor.after?.kind ?? null, cursor.after?.id ?? null, limit],
  );
  const more = refs.length === limit;
  const last = refs[refs.length - 1];
  const next: PullCursor =
    more && last
      ? { seq: last.change_seq, after: { kind: last.kind, id: last.id } }
      : { seq: Math.max(upTo, cursor.seq) };
  const ids = (kind: string) => refs.filter((r) => r.kind === kind).map((r) => r.id);

  const productIds = ids('product');
  const products =
    productIds.length === 0
      ? []
      : (
          await db.query<{
            id: string;
            sku: string;
            name_en: string;
            name_bn: string;
            category: string;
            unit: 'piece' | 'kg';
            price: number;
            vat_rate: number;
            vat_mode: 'inclusive' | 'exclusive';
            active: boolean;
            barcodes: string[] | null;
          }>(
            `SELECT p.id, p.sku, p.name_en, p.name_bn, p.category, p.unit, p.price, p.vat_rate, p.vat_mode, p.active,
                    (SELECT array_agg(b.barcode ORDER BY b.barcode) FROM product_barcodes b WHERE b.product_id = p.id) AS barcodes
               FROM products p WHERE p.id = ANY($1::uuid[]) ORDER BY p.change_seq, p.id`,
            [productIds],
          )
        ).map((r) => ({
          id: r.id,
          sku: r.sku,
          nameEn: r.name_en,
          nameBn: r.name_bn,
          category: r.category,
          unit: r.unit,
          price: r.price,
          vatRate: r.vat_rate,
          vatMode: r.vat_mode,
          active: r.active,
          barcodes: r.barcodes ?? [],
        }));

  const staffIds = ids('staff');
  const staff =
    staffIds.length === 0
      ? []
      : (
          await db.query<{
            id: string;
            code: string;
            name: string;
            role: 'cashier' | 'manager';
            active: boolean;
            pin_hash: string;
          }>(
            `SELECT id, code, name, role, active, pin_hash FROM cashiers
              WHERE id = ANY($1::uuid[]) AND branch = $2 ORDER BY change_seq, id`,
            [staffIds, branch],
          )
        ).map((r) => ({ id: r.id, code: r.code, name: r.name, role: r.role, active: r.active, pinHash: r.pin_hash }));

  let settings: BranchSettings | null = null;
  if (ids('settings').length > 0) {
    const [row] = await db.query<{ settings: BranchSettings }>('SELECT settings FROM branches WHERE code = $1', [
      branch,
    ]);
    settings = row?.settings ?? null;
  }
  return { products, staff, settings, cursor: next, more };
}
