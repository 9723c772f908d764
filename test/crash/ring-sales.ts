/**
 * The child of the crash test: opens (provisioning and seeding on first use)
 * the till database at argv[2] and rings up sales, refunds and voids forever,
 * until the parent kills it with SIGKILL. After each use case returns ok it
 * writes one line to stdout, synchronously, so every line the parent reads is
 * a promise that the fact is on disk:
 *
 *   SALE <receiptNo> <saleId> <total> <outboxSeq>
 *   REFUND <refundId> <receiptNo> <total>
 *   VOID <voidId> <receiptNo>
 *   OPEN <shiftId>
 *   CLOSE <shiftId>
 *
 * and first, once: READY <journal_mode> <synchronous>.
 *
 * Any failed Result is a bug of this program or of the till: it is printed to
 * stderr and the program exits 2. argv[3] seeds the random choices.
 *
 * Run: node --import tsx test/crash/ring-sales.ts <dbPath> [seed]
 */
import { existsSync, writeSync } from 'node:fs';
import type { BranchCode } from '../../shared/ids';
import { taka } from '../../shared/money';
import type { Result } from '../../shared/result';
import { priceDraft, type SaleDraft } from '../../shared/sale-draft';
import type { PaymentMethod } from '../../shared/tender';
import { openTill, type Till } from '../../main/open-till';
import { completeSale } from '../../main/sale/complete-sale';
import { setCartDiscount, setLineDiscount } from '../../main/sale/discounts';
import { addLine } from '../../main/sale/edit-lines';
import { refundSale } from '../../main/sale/refund-sale';
import { startSale } from '../../main/sale/start-sale';
import { addPayment } from '../../main/sale/tender';
import { voidSale } from '../../main/sale/void-sale';
import { closeShift } from '../../main/shift/close-shift';
import { openShift } from '../../main/shift/open-shift';
import { sql } from '../../main/store/db';
import { getSaleByReceipt } from '../../main/store/sales';
import { getOpenShift, type Shift } from '../../main/store/shifts';
import { getStaff } from '../../main/store/staff';
import { CASHIER, MANAGER, PRODUCTS, seedShop } from '../../main/testing/fixtures';
import { seededRandom as prng } from '../../main/testing/random';

const CRASH_TILL = { branch: 'CRSH1' as BranchCode, till: 7 };

const path = process.argv[2];
if (!path) {
  process.stderr.write('usage: ring-sales.ts <dbPath> [seed]\n');
  process.exit(64);
}
const seed = Number(process.argv[3] ?? Math.floor(Math.random() * 2 ** 32));
const random = prng(seed);
const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
const chance = (p: number): boolean => random() < p;
function pick<T>(items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}
const CODE_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
const code = (length: number): string => Array.from({ length }, () => pick([...CODE_CHARS])).join('');

/** One line, in one write(2): a pipe never splits or interleaves it (it is far below PIPE_BUF). */
function announce(line: string): void {
  const bytes = Buffer.from(`${line}\n`);
  for (;;) {
    try {
      const written = writeSync(1, bytes);
      if (written !== bytes.length) throw new Error(`short write to stdout: ${written} of ${bytes.length} bytes`);
      return;
    } catch (e) {
      // A non-blocking pipe whose reader is behind; wait for it rather than drop a line.
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
    }
  }
}

function must<T>(what: string, r: Result<T>): T {
  if (!r.ok) {
    process.stderr.write(`ring-sales (seed ${seed}): ${what} failed: ${JSON.stringify(r.error)}\n`);
    process.exit(2);
  }
  return r.value;
}

function open(): Till {
  // A kill can land only after the first line, so provisioning and seeding
  // have finished by then; seeding again is harmless (upserts) if not.
  const fresh = !existsSync(path as string);
  const till = openTill(path as string, fresh ? { identity: CRASH_TILL } : {});
  if (!getStaff(till.deps.db, MANAGER.id)) seedShop(till);
  return till;
}

const till = open();
const { deps } = till;
// What durability rests on, stated by the child's own connection: a kill
// cannot show what power loss would (the OS keeps what was written), so the
// parent checks the setting instead.
announce(
  `READY ${String(deps.db.pragma('journal_mode', { simple: true }))} ${String(deps.db.pragma('synchronous', { simple: true }))}`,
);
const products = Object.values(PRODUCTS);

function ensureShift(): Shift {
  const open = getOpenShift(deps.db);
  if (open) return open;
  const shift = must('openShift', openShift(deps, { cashierId: CASHIER.id, openingFloat: taka(int(0, 50) * 100) }));
  announce(`OPEN ${shift.id}`);
  return shift;
}

function ringSale(shift: Shift): void {
  let d: SaleDraft = must('startSale', startSale(deps, { shiftId: shift.id }));
  const count = int(1, 6);
  for (let i = 0; i < count; i++) {
    const p = pick(products);
    // Loose goods by the gram, from a handful of lentils to a sack of rice.
    const quantity = p.unit === 'kg' ? int(5, 25_000) : int(1, 5) * 1000;
    const input = chance(0.7) ? { barcode: p.barcodes[0] ?? '', quantity } : { productId: p.id, quantity };
    d = must('addLine', addLine(deps, d, input));
  }
  if (chance(0.1)) {
    const line = pick(d.lines);
    // Up to 30 %. Above the branch's 5 % it takes the manager's PIN; it is
    // given from 3 % up, so that rounding a small line never crosses the
    // limit without one.
    const bps = int(1, 3000);
    d = must(
      'setLineDiscount',
      setLineDiscount(deps, d, {
        lineNo: line.lineNo,
        percentBps: bps,
        ...(bps > 300 ? { managerPin: MANAGER.pin } : {}),
      }),
    );
  }
  if (chance(0.15)) {
    if (chance(0.5)) {
      const bps = int(1, 2000);
      d = must(
        'setCartDiscount',
        setCartDiscount(deps, d, { percentBps: bps, ...(bps > 300 ? { managerPin: MANAGER.pin } : {}) }),
      );
    } else {
      const amount = int(1, Math.floor(priceDraft(d).total * 0.03));
      d = must('setCartDiscount', setCartDiscount(deps, d, { amount }));
    }
  }
  let due: number = priceDraft(d).total;
  if (due > 0 && chance(0.3)) {
    // Split: part on card or bKash, the rest in cash.
    const part = int(1, due);
    const method: PaymentMethod = chance(0.5) ? 'card' : 'bkash';
    d = must('addPayment', addPayment(d, { method, amount: part, reference: method === 'card' ? code(6) : code(10) }));
    due -= part;
  }
  if (due > 0) {
    const r = random();
    if (r < 0.5) {
      // Cash, often rounded up to the next hundred taka, which gives change.
      const amount = chance(0.5) ? Math.ceil(due / 10_000) * 10_000 : due;
      d = must('addPayment', addPayment(d, { method: 'cash', amount }));
    } else if (r < 0.75) {
      d = must('addPayment', addPayment(d, { method: 'card', amount: due, reference: code(int(4, 12)) }));
    } else {
      d = must('addPayment', addPayment(d, { method: 'bkash', amount: due, reference: code(int(8, 20)) }));
    }
  }
  const done = must('completeSale', completeSale(deps, d));
  announce(`SALE ${done.receiptNo} ${done.saleId} ${done.total} ${done.outboxSeq}`);
}

function refundOne(): void {
  const candidates = sql(
    deps.db,
    `SELECT s.receipt_no FROM sales s
     WHERE NOT EXISTS (SELECT 1 FROM voids v WHERE v.sale_id = s.id)
       AND EXISTS (SELECT 1 FROM sale_lines l WHERE l.sale_id = s.id AND l.refunded_quantity < l.quantity)
     ORDER BY s.receipt_seq DESC LIMIT 50`,
  )
    .pluck()
    .all() as string[];
  if (candidates.length === 0) return;
  const sale = getSaleByReceipt(deps.db, pick(candidates));
  if (!sale) throw new Error('a candidate sale vanished');
  const open = sale.lines.filter((l) => l.refundedQuantity < l.quantity);
  let lines: 'all' | { lineNo: number; quantity: number }[] = 'all';
  if (chance(0.6)) {
    lines = open
      .filter(() => chance(0.5))
      .map((l) => {
        const left = l.quantity - l.refundedQuantity;
        return { lineNo: l.lineNo, quantity: l.unit === 'kg' ? int(1, left) : int(1, left / 1000) * 1000 };
      });
    if (lines.length === 0) lines = 'all';
  }
  const nonCash = sale.payments.filter((p) => p.method !== 'cash').map((p) => p.method);
  const method: PaymentMethod = nonCash.length > 0 && chance(0.5) ? pick(nonCash) : 'cash';
  const refund = must(
    'refundSale',
    refundSale(deps, {
      receiptNo: sale.receiptNo,
      lines,
      method,
      reference: method === 'cash' ? null : method === 'card' ? code(8) : code(12),
      managerPin: MANAGER.pin,
      reason: 'customer returned it',
    }),
  );
  announce(`REFUND ${refund.refundId} ${refund.receiptNo} ${refund.total}`);
}

function voidOne(shift: Shift): void {
  const candidates = sql(
    deps.db,
    `SELECT s.receipt_no FROM sales s
     WHERE s.shift_id = ?
       AND NOT EXISTS (SELECT 1 FROM voids v WHERE v.sale_id = s.id)
       AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.sale_id = s.id)
     ORDER BY s.receipt_seq DESC LIMIT 20`,
  )
    .pluck()
    .all(shift.id) as string[];
  if (candidates.length === 0) return;
  const v = must(
    'voidSale',
    voidSale(deps, { receiptNo: pick(candidates), managerPin: MANAGER.pin, reason: 'rung up by mistake' }),
  );
  announce(`VOID ${v.voidId} ${v.receiptNo}`);
}

function closeAndReopen(shift: Shift): void {
  must(
    'closeShift',
    closeShift(deps, {
      shiftId: shift.id,
      closedBy: chance(0.5) ? CASHIER.id : MANAGER.id,
      denominations: { '1000': int(0, 20), '500': int(0, 10), '100': int(0, 10), '10': int(0, 9), '1': int(0, 9) },
    }),
  );
  announce(`CLOSE ${shift.id}`);
  ensureShift();
}

for (;;) {
  const shift = ensureShift();
  const r = random();
  if (r < 0.86) ringSale(shift);
  else if (r < 0.93) refundOne();
  else if (r < 0.98) voidOne(shift);
  else closeAndReopen(shift);
}
