/**
 * sale-commit: how long a cashier waits for a 5-line, one-payment sale to be
 * rung up and made durable through the real use cases (startSale → addLine ×5
 * by barcode → addPayment → completeSale) on a real till file (WAL,
 * synchronous=FULL). Beside it, in the same run and interleaved with it, the
 * floor for the same work: the same rows (1 sale, 5 lines, 1 payment, 5 stock
 * movements, 1 outbox row, 2 counter updates) written by bare prepared
 * statements in one transaction on a second file with the same schema and
 * pragmas; and one durable single-row insert, for scale. The check is on the
 * ratio of the medians: what the use cases add on top of the disk. The ratio
 * depends on what a durable commit costs on the machine (a disk whose flush is
 * cheap makes the floor small), so the difference of the medians is printed too.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { createIdFactory, type ProductId } from '../../shared/ids';
import { taka } from '../../shared/money';
import { formatReceiptNo } from '../../shared/receipt';
import type { Result } from '../../shared/result';
import { vatRate } from '../../shared/vat';
import { completeSale } from '../../main/sale/complete-sale';
import { addLine } from '../../main/sale/edit-lines';
import { startSale } from '../../main/sale/start-sale';
import { addPayment } from '../../main/sale/tender';
import { openShift } from '../../main/shift/open-shift';
import { type Product, upsertProduct } from '../../main/store/catalog';
import { inTransaction, openStore } from '../../main/store/db';
import { readOutbox } from '../../main/store/outbox';
import { getSale } from '../../main/store/sales';
import { CASHIER, tempTill } from '../../main/testing/fixtures';
import { type BenchResult, check, figure, percentile, timeMs } from './harness';

const WARMUP = 300;
const ITERATIONS = 4000;
const LINES_PER_SALE = 5;
/** Products in the catalog the sales scan from, beyond the fixture shop. */
const CATALOG = 2000;

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code} (${r.error.field}): ${r.error.reason}`);
  return r.value;
}

/** A valid EAN-13 with Bangladesh's GS1 prefix 894, unique per n. */
function ean13(n: number): string {
  const body = `894${String(n).padStart(9, '0')}`;
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (i % 2 === 0 ? 1 : 3), 0);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

function catalogProduct(n: number): Product {
  return {
    id: `0190c000-0000-4000-8000-${String(n).padStart(12, '0')}` as ProductId,
    sku: `BENCH${String(n).padStart(6, '0')}`,
    nameEn: `Bench Item ${n} 500g`,
    nameBn: `বেঞ্চ পণ্য ${n} ৫০০ গ্রাম`,
    category: 'Grocery',
    unit: 'piece',
    price: taka(20 + (n % 480)),
    vatRate: vatRate([0, 500, 750, 1000, 1500][n % 5] ?? 0),
    vatMode: 'inclusive',
    active: true,
    barcodes: [ean13(n)],
  };
}

const COUNTED_TABLES = ['sales', 'sale_lines', 'sale_payments', 'stock_movements', 'outbox'] as const;

function rowCounts(db: Database.Database): Record<string, number> {
  return Object.fromEntries(
    COUNTED_TABLES.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]),
  );
}

function delta(after: Record<string, number>, before: Record<string, number>): string {
  return COUNTED_TABLES.map((t) => `${t}+${(after[t] ?? 0) - (before[t] ?? 0)}`).join(' ');
}

export function saleCommit(): BenchResult {
  const till = tempTill();
  const floor = openStore(join(till.dir, 'floor.sqlite'));
  const single = new Database(join(till.dir, 'single.sqlite'));
  try {
    const { deps } = till;
    const now = deps.now;

    // The till: a catalog to scan from and an open shift.
    inTransaction(deps.db, () => {
      for (let n = 1; n <= CATALOG; n++) upsertProduct(deps.db, catalogProduct(n), now());
    });
    const shift = must(openShift(deps, { cashierId: CASHIER.id, openingFloat: taka(2000) }));
    const basket = (i: number) =>
      Array.from({ length: LINES_PER_SALE }, (_, k) => ean13(1 + ((i * LINES_PER_SALE + k) % CATALOG)));
    const baskets = Array.from({ length: 97 }, (_, i) => basket(i));

    let sales = 0;
    const useCase = (): void => {
      let draft = must(startSale(deps, { shiftId: shift.id }));
      for (const barcode of baskets[sales++ % baskets.length] ?? []) draft = must(addLine(deps, draft, { barcode }));
      draft = must(addPayment(draft, { method: 'cash', amount: taka(5000) }));
      must(completeSale(deps, draft));
    };

    // One real sale is the template for the floor's precomputed rows.
    useCase();
    const template = readOutbox(deps.db).at(-1);
    const templateSale = template ? getSale(deps.db, JSON.parse(template.body).payload.saleId) : undefined;
    if (!template || !templateSale) throw new Error('the template sale was not recorded');

    // The floor: same schema and pragmas (openStore), rows written by bare statements.
    const fw = floor.write;
    fw.prepare('INSERT INTO staff (id, code, name, role, pin_hash, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      CASHIER.id,
      CASHIER.code,
      CASHIER.name,
      'cashier',
      'x',
      now(),
    );
    fw.prepare('INSERT INTO shifts (id, cashier_id, opening_float, opened_at) VALUES (?, ?, ?, ?)').run(
      shift.id,
      CASHIER.id,
      shift.openingFloat,
      shift.openedAt,
    );
    const total = WARMUP + ITERATIONS + 1;
    const floorIds = createIdFactory(now);
    const saleIds = Array.from({ length: total }, () => floorIds.sale());
    const eventIds = Array.from({ length: total }, () => floorIds.event());
    const receiptNos = Array.from({ length: total }, (_, i) =>
      formatReceiptNo({ branch: till.id.branch, till: till.id.till, seq: i + 1 }),
    );
    const s = templateSale;
    const lineValues = s.lines.map((l) => [
      l.lineNo,
      l.productId,
      l.barcode,
      l.nameEn,
      l.nameBn,
      l.unit,
      l.quantity,
      l.unitPrice,
      l.vatRate,
      l.vatMode,
      l.gross,
      l.lineDiscount,
      null,
      l.cartDiscountShare,
      l.net,
      l.vat,
    ]);
    const payment = s.payments[0];
    if (!payment || s.lines.length !== LINES_PER_SALE) throw new Error('the template sale has the wrong shape');
    const counter = fw.prepare('UPDATE counters SET last = last + 1 WHERE name = ? RETURNING last');
    const insertSale = fw.prepare(
      `INSERT INTO sales (id, receipt_seq, receipt_no, shift_id, cashier_id, started_at, completed_at, subtotal,
         cart_discount, cart_discount_approved_by, discount_total, vat_total, total, cash_received, change, outbox_seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertLine = fw.prepare(
      `INSERT INTO sale_lines (sale_id, line_no, product_id, barcode, name_en, name_bn, unit, quantity, unit_price,
         vat_rate, vat_mode, gross, line_discount, discount_approved_by, cart_discount_share, net, vat)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertMovement = fw.prepare(
      "INSERT INTO stock_movements (product_id, quantity, reason, ref_id, at) VALUES (?, ?, 'sale', ?, ?)",
    );
    const insertPayment = fw.prepare(
      'INSERT INTO sale_payments (sale_id, payment_no, method, amount, reference) VALUES (?, ?, ?, ?, ?)',
    );
    const insertOutbox = fw.prepare(
      'INSERT INTO outbox (seq, event_id, type, body, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    const body = template.body;
    const floorTx = fw.transaction((i: number) => {
      const saleId = saleIds[i] as string;
      const receiptSeq = (counter.get('receipt') as { last: number }).last;
      const outboxSeq = (counter.get('outbox') as { last: number }).last;
      insertOutbox.run(outboxSeq, eventIds[i], 'sale.completed', body, s.completedAt);
      insertSale.run(
        saleId,
        receiptSeq,
        receiptNos[i],
        s.shiftId,
        s.cashierId,
        s.startedAt,
        s.completedAt,
        s.subtotal,
        s.cartDiscount,
        null,
        s.discountTotal,
        s.vatTotal,
        s.total,
        s.cashReceived,
        s.change,
        outboxSeq,
      );
      for (const v of lineValues) {
        insertLine.run(saleId, ...v);
        insertMovement.run(v[1], -(v[6] as number), saleId, s.completedAt);
      }
      insertPayment.run(saleId, 1, payment.method, payment.amount, payment.reference);
    });
    let floorSales = 0;
    const floorWrite = (): void => {
      floorTx.immediate(floorSales++);
    };
    floorWrite();

    // The scale: one row into a one-table file with the same pragmas as the till.
    single.pragma('journal_mode = WAL');
    single.pragma('synchronous = FULL');
    single.pragma('foreign_keys = ON');
    single.pragma('busy_timeout = 5000');
    single.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, at INTEGER NOT NULL) STRICT');
    const insertOne = single.prepare('INSERT INTO t (at) VALUES (?)');
    const singleTx = single.transaction((at: number) => insertOne.run(at));
    const singleWrite = (): void => {
      singleTx.immediate(1);
    };

    // Alternate which goes first, so that drift and noise fall on all three alike.
    const order = [useCase, floorWrite, singleWrite];
    const samples = new Map<() => void, number[]>(order.map((f) => [f, []]));
    const round = (i: number, record: boolean) => {
      for (let k = 0; k < order.length; k++) {
        const f = order[(i + k) % order.length] as () => void;
        const ms = timeMs(f);
        if (record) samples.get(f)?.push(ms);
      }
    };
    for (let i = 0; i < WARMUP; i++) round(i, false);
    const tillBefore = rowCounts(deps.db);
    const floorBefore = rowCounts(fw);
    for (let i = 0; i < ITERATIONS; i++) round(i, true);
    const tillDelta = delta(rowCounts(deps.db), tillBefore);
    const floorDelta = delta(rowCounts(fw), floorBefore);
    if (tillDelta !== floorDelta) {
      throw new Error(`the floor did not write what the use case wrote: use case ${tillDelta}; floor ${floorDelta}`);
    }
    console.log(`  ${ITERATIONS} sales each way after ${WARMUP} warm-up; rows per run: ${tillDelta}`);

    const use = samples.get(useCase) ?? [];
    const bare = samples.get(floorWrite) ?? [];
    const one = samples.get(singleWrite) ?? [];
    const ratio = figure('p50 ratio (use case / floor)', percentile(use, 50) / percentile(bare, 50), '×');
    return {
      name: 'sale-commit',
      figures: [
        figure('use case p50', percentile(use, 50), 'ms'),
        figure('use case p99', percentile(use, 99), 'ms'),
        figure('floor p50', percentile(bare, 50), 'ms'),
        figure('floor p99', percentile(bare, 99), 'ms'),
        figure('single insert p50', percentile(one, 50), 'ms'),
        figure('use case p50 - floor p50', percentile(use, 50) - percentile(bare, 50), 'ms'),
        ratio,
      ],
      checks: [check(ratio, '<=', 1.3)],
    };
  } finally {
    single.close();
    floor.close();
    till.cleanup();
  }
}
