import type { BranchSettings } from '../../shared/settings';
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
