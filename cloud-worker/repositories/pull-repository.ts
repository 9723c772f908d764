import type { BranchSettings } from '../../shared/settings';
import type { PulledProduct, PulledStaff } from '../../shared/wire/pull';
import type { Queryable, Row } from '../db/database';

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

/** The kinds of master data, in the order a page lists them within one change (as cursors compare). */
const KINDS = ['product', 'settings', 'staff'] as const;
type Kind = (typeof KINDS)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Whether a cursor could have come from readChanges: a kind it lists and, for
 * products and staff, a row id (a uuid). Anything else is refused before it
 * reaches a query.
 */
export function isKnownCursor(c: PullCursor): boolean {
  if (!Number.isSafeInteger(c.seq)) return false;
  if (!c.after) return true;
  const kind = KINDS.find((k) => k === c.after?.kind);
  return kind === 'settings' || (kind !== undefined && UUID.test(c.after.id));
}

interface ProductRow extends Row {
  change_seq: number;
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
}

interface StaffRow extends Row {
  change_seq: number;
  id: string;
  code: string;
  name: string;
  role: 'cashier' | 'manager';
  active: boolean;
  pin_hash: string;
}

const PRODUCT_COLUMNS = `p.change_seq, p.id, p.sku, p.name_en, p.name_bn, p.category, p.unit, p.price, p.vat_rate,
  p.vat_mode, p.active,
  (SELECT array_agg(b.barcode ORDER BY b.barcode) FROM product_barcodes b WHERE b.product_id = p.id) AS barcodes`;
const STAFF_COLUMNS = 'change_seq, id, code, name, role, active, pin_hash';

/*
 * One keyset query per kind, each walking its own index in (change_seq, id)
 * order from where the cursor left that kind (migration 0002): a page costs
 * its own rows, however deep into a big change it starts. The row comparison
 * `(change_seq, id) > ($1, $4)` lets PostgreSQL start the index scan at the
 * cursor rather than filter its way there. uuid order is byte order, the
 * same as the C order of the text that cursors were always compared in.
 */
const PRODUCTS_AFTER_CHANGE = `SELECT ${PRODUCT_COLUMNS} FROM products p
  WHERE p.change_seq > $1 AND p.change_seq <= $2 ORDER BY p.change_seq, p.id LIMIT $3`;
const PRODUCTS_AFTER_ROW = `SELECT ${PRODUCT_COLUMNS} FROM products p
  WHERE (p.change_seq, p.id) > ($1, $4::uuid) AND p.change_seq <= $2 ORDER BY p.change_seq, p.id LIMIT $3`;
const STAFF_AFTER_CHANGE = `SELECT ${STAFF_COLUMNS} FROM cashiers
  WHERE branch = $4 AND change_seq > $1 AND change_seq <= $2 ORDER BY change_seq, id LIMIT $3`;
const STAFF_AFTER_ROW = `SELECT ${STAFF_COLUMNS} FROM cashiers
  WHERE branch = $5 AND (change_seq, id) > ($1, $4::uuid) AND change_seq <= $2 ORDER BY change_seq, id LIMIT $3`;
const SETTINGS_AFTER_CHANGE =
  'SELECT change_seq, settings FROM branches WHERE code = $3 AND change_seq > $1 AND change_seq <= $2';

/**
 * Where one kind's unsent rows start. Within a change a page lists products,
 * then settings, then staff, so a cursor that stopped inside change n at kind
 * `k` has sent change n's rows of the kinds before `k`, those of `k` up to
 * its id, and none of the kinds after `k`.
 */
function resume(kind: Kind, cursor: PullCursor): { readonly afterSeq: number; readonly afterId?: string } {
  if (!cursor.after) return { afterSeq: cursor.seq };
  const stoppedAt = KINDS.indexOf(cursor.after.kind as Kind);
  const mine = KINDS.indexOf(kind);
  if (mine < stoppedAt) return { afterSeq: cursor.seq };
  if (mine > stoppedAt) return { afterSeq: cursor.seq - 1 };
  // A branch has one settings row: the cursor stopped on it, so it was sent.
  return kind === 'settings' ? { afterSeq: cursor.seq } : { afterSeq: cursor.seq, afterId: cursor.after.id };
}

interface Ref {
  readonly seq: number;
  readonly kind: number;
  readonly id: string;
}

function cursorOrder(a: Ref, b: Ref): number {
  return a.seq - b.seq || a.kind - b.kind || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

const PRODUCT = KINDS.indexOf('product');
const SETTINGS = KINDS.indexOf('settings');
const STAFF = KINDS.indexOf('staff');

export async function readChanges(
  db: Queryable,
  branch: string,
  cursor: PullCursor,
  limit: number,
): Promise<MasterDataPage> {
  // Read the counter first: the change it names has committed, and so has
  // every lower one (each held the counter's row lock until its commit). The
  // rows up to it are then all visible to the next statements.
  const [counter] = await db.query<{ value: number }>('SELECT value FROM change_counter WHERE id = 1');
  const upTo = counter?.value ?? 0;

  const p = resume('product', cursor);
  const productRows = await db.query<ProductRow>(
    p.afterId === undefined ? PRODUCTS_AFTER_CHANGE : PRODUCTS_AFTER_ROW,
    p.afterId === undefined ? [p.afterSeq, upTo, limit] : [p.afterSeq, upTo, limit, p.afterId],
  );
  const s = resume('staff', cursor);
  const staffRows = await db.query<StaffRow>(
    s.afterId === undefined ? STAFF_AFTER_CHANGE : STAFF_AFTER_ROW,
    s.afterId === undefined ? [s.afterSeq, upTo, limit, branch] : [s.afterSeq, upTo, limit, s.afterId, branch],
  );
  const settingsRows = await db.query<{ change_seq: number; settings: BranchSettings }>(SETTINGS_AFTER_CHANGE, [
    resume('settings', cursor).afterSeq,
    upTo,
    branch,
  ]);

  // The page is the first `limit` rows of all kinds together, in cursor order.
  const refs: Ref[] = [
    ...productRows.map((r) => ({ seq: r.change_seq, kind: PRODUCT, id: r.id })),
    ...settingsRows.map((r) => ({ seq: r.change_seq, kind: SETTINGS, id: branch })),
    ...staffRows.map((r) => ({ seq: r.change_seq, kind: STAFF, id: r.id })),
  ].sort(cursorOrder);
  const more = refs.length >= limit;
  const last = more ? refs[limit - 1] : undefined;
  const next: PullCursor = last
    ? { seq: last.seq, after: { kind: KINDS[last.kind] as Kind, id: last.id } }
    : { seq: Math.max(upTo, cursor.seq) };
  const onPage = (seq: number, kind: number, id: string) => !last || cursorOrder({ seq, kind, id }, last) <= 0;

  return {
    products: productRows
      .filter((r) => onPage(r.change_seq, PRODUCT, r.id))
      .map((r) => ({
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
      })),
    settings: settingsRows.find((r) => onPage(r.change_seq, SETTINGS, branch))?.settings ?? null,
    staff: staffRows
      .filter((r) => onPage(r.change_seq, STAFF, r.id))
      .map((r) => ({ id: r.id, code: r.code, name: r.name, role: r.role, active: r.active, pinHash: r.pin_hash })),
    cursor: next,
    more,
  };
}
