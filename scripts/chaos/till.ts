/**
 * One till of the chaos run, as a process of its own: the real till store
 * and use cases ring up sales, refunds, voids and shift closes as fast as the
 * machine lets them, while the real sync run (`runSync`: pull, then push)
 * goes on beside them every second or so, through the branch's lines to the
 * queue and to head office's API. The parent kills it with SIGKILL when it
 * likes and starts it again on the same data folder.
 *
 * Its clock is the machine's plus a skew of its own (hours, at some tills),
 * and its queue sender duplicates and delays some messages, so that the
 * worker sees them twice, late and out of order. It prints one line per
 * fact, in one write each:
 *
 *   READY <sales so far>      SALE <saleId>        PUSHING
 *   FAULT <kind> [detail]     SYNCED <pending> <queued-not-acked>
 *   SEALED <messages>         (a failed sync run packed the outbox ahead)
 *   SYNC-FAILED <kind>        TARGET               DONE
 *
 * On the line FINISH from its parent it stops selling, closes its shift (a
 * last fact, so head office sees how far this till got and asks again for
 * anything the queue lost before it) and syncs until head office confirmed
 * every event (✔✔), then prints DONE and exits 0.
 *
 * Run: node --import tsx scripts/chaos/till.ts '<json of TillArgs>'
 */
import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { QueueClient } from '@azure/storage-queue';
import type { Result } from '../../shared/result';
import { priceDraft, type SaleDraft } from '../../shared/sale-draft';
import type { PaymentMethod } from '../../shared/tender';
import { openTill } from '../../main/open-till';
import { completeSale } from '../../main/sale/complete-sale';
import { addLine } from '../../main/sale/edit-lines';
import { refundSale } from '../../main/sale/refund-sale';
import { startSale } from '../../main/sale/start-sale';
import { addPayment } from '../../main/sale/tender';
import { voidSale } from '../../main/sale/void-sale';
import { closeShift } from '../../main/shift/close-shift';
import { openShift } from '../../main/shift/open-shift';
import { sql } from '../../main/store/db';
import { outboxCounts } from '../../main/store/outbox';
import { getOpenShift, type Shift } from '../../main/store/shifts';
import { findStaffByPin, type Staff } from '../../main/store/staff';
import type { QueueSender } from '../../main/sync/push';
import { runSync, SyncFailure } from '../../main/sync/run';
import { tillPaths } from '../../main/sync/provision';
import { seededRandom } from '../../main/testing/random';

export interface TillArgs {
  readonly dir: string;
  readonly seed: number;
  /** Added to the machine's clock: this till's clock is that wrong. */
  readonly skewMs: number;
  /** Sales this till rings up in all, across its restarts. */
  readonly target: number;
  readonly cashierPin: string;
  readonly managerPin: string;
  /** The branch's line to the queue (scheme, host and port). */
  readonly queueOrigin: string;
  /** Share of messages sent twice, and sent hidden for a few seconds (late, out of order). */
  readonly duplicateRate: number;
  readonly delayRate: number;
  readonly syncEveryMs: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as TillArgs;
const random = seededRandom(args.seed);
const now = () => Date.now() + args.skewMs;
const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
function pick<T>(items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function announce(line: string): void {
  const bytes = Buffer.from(`${line}\n`);
  for (;;) {
    try {
      writeSync(1, bytes);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
    }
  }
}

function must<T>(what: string, r: Result<T>): T {
  if (!r.ok) throw new Error(`${what}: ${r.error.code} (${r.error.field}): ${r.error.reason}`);
  return r.value;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const paths = tillPaths(args.dir);
const till = openTill(paths.db, { now });
const { deps } = till;
let finishing = false;
let stopSelling = false;

/** Messages this till has sent; its first is always hidden a while and its second always doubled. */
let sends = 0;

/** Sends what the push hands it, sometimes twice, sometimes hidden for a few seconds. */
function chaosSender(queueUrl: string): QueueSender {
  const client = new QueueClient(queueUrl, undefined, { retryOptions: { maxTries: 1, tryTimeoutInMs: 15_000 } });
  return {
    async send(text) {
      sends += 1;
      // Every till delays and doubles at least once, however few messages a short run gives it.
      const hideFor = !finishing && (sends === 1 || random() < args.delayRate) ? int(1, 8) : 0;
      await client.sendMessage(text, { messageTimeToLive: -1, ...(hideFor ? { visibilityTimeout: hideFor } : {}) });
      if (hideFor) announce(`FAULT message-delayed ${hideFor}`);
      if (!finishing && (sends === 2 || random() < args.duplicateRate)) {
        await client.sendMessage(text, { messageTimeToLive: -1, visibilityTimeout: int(0, 5) });
        announce('FAULT message-duplicated');
      }
    },
  };
}

async function syncOnce(): Promise<void> {
  let pushing = false;
  try {
    await runSync({
      dir: args.dir,
      now,
      queueOrigin: args.queueOrigin,
      sender: chaosSender,
      timeoutMs: 10_000,
      missingGraceMs: 3_000,
      onProgress: (p) => {
        if (p.phase === 'push' && !pushing) {
          pushing = true;
          announce('PUSHING');
        }
        if (p.phase === 'seal') announce(`SEALED ${p.messages}`);
      },
    });
    const counts = outboxCounts(deps.db);
    announce(`SYNCED ${counts.pending} ${counts.queuedNotAcked}`);
  } catch (e) {
    announce(`SYNC-FAILED ${e instanceof SyncFailure ? e.kind : (e as Error).message.split('\n')[0]}`);
  }
}

function waitForStaff(): Promise<{ cashier: Staff; manager: Staff }> {
  return (async () => {
    for (;;) {
      const cashier = findStaffByPin(deps.db, args.cashierPin, 'cashier');
      const manager = findStaffByPin(deps.db, args.managerPin, 'manager');
      const products = sql(deps.db, 'SELECT count(*) FROM barcodes').pluck().get() as number;
      if (cashier && manager && products > 0) return { cashier, manager };
      // The first pull (by the sync loop) brings staff and catalog.
      await sleep(300);
    }
  })();
}

function salesSoFar(): number {
  return sql(deps.db, 'SELECT count(*) FROM sales').pluck().get() as number;
}

async function main(): Promise<void> {
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim() === 'FINISH') finishing = true;
  });
  announce(`READY ${salesSoFar()}`);
  const syncing = (async () => {
    while (!stopSelling) {
      await syncOnce();
      await sleep(args.syncEveryMs);
    }
  })();
  const { cashier, manager } = await waitForStaff();
  const barcodes = sql(deps.db, 'SELECT b.barcode, p.unit FROM barcodes b JOIN products p ON p.id = b.product_id')
    .all()
    .map((r) => r as { barcode: string; unit: 'piece' | 'kg' });
  let made = salesSoFar();
  let reachedTarget = false;

  const ensureShift = (): Shift =>
    getOpenShift(deps.db) ??
    must('open shift', openShift(deps, { cashierId: cashier.id, openingFloat: int(0, 50) * 10_000 }));

  const ringSale = (shift: Shift) => {
    let d: SaleDraft = must('start', startSale(deps, { shiftId: shift.id }));
    for (let i = int(1, 5); i > 0; i--) {
      const p = pick(barcodes);
      d = must('add line', addLine(deps, d, { barcode: p.barcode, quantity: p.unit === 'kg' ? int(50, 5000) : 1000 }));
    }
    const due = priceDraft(d).total;
    const method: PaymentMethod = pick(['cash', 'cash', 'card', 'bkash', 'nagad']);
    if (due > 0) {
      d = must(
        'tender',
        addPayment(d, {
          method,
          amount: method === 'cash' ? Math.ceil(due / 10_000) * 10_000 : due,
          ...(method === 'cash' ? {} : { reference: `TX${int(10_000_000, 99_999_999)}` }),
        }),
      );
    }
    const done = must('complete', completeSale(deps, d));
    announce(`SALE ${done.saleId}`);
    made++;
  };

  const recent = (where: string, ...params: unknown[]) =>
    sql(
      deps.db,
      `SELECT s.receipt_no FROM sales s
       WHERE NOT EXISTS (SELECT 1 FROM voids v WHERE v.sale_id = s.id) ${where}
       ORDER BY s.receipt_seq DESC LIMIT 20`,
    )
      .pluck()
      .all(...params) as string[];

  const refundOne = () => {
    const candidates = recent(
      'AND EXISTS (SELECT 1 FROM sale_lines l WHERE l.sale_id = s.id AND l.refunded_quantity < l.quantity)',
    );
    if (candidates.length === 0) return;
    must(
      'refund',
      refundSale(deps, {
        receiptNo: pick(candidates),
        lines: 'all',
        method: 'cash',
        managerPin: args.managerPin,
        reason: 'customer returned it',
      }),
    );
  };

  const voidOne = (shift: Shift) => {
    const candidates = recent(
      'AND s.shift_id = ? AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.sale_id = s.id)',
      shift.id,
    );
    if (candidates.length === 0) return;
    must('void', voidSale(deps, { receiptNo: pick(candidates), managerPin: args.managerPin, reason: 'rung twice' }));
  };

  const close = (shift: Shift) =>
    must(
      'close shift',
      closeShift(deps, {
        shiftId: shift.id,
        closedBy: random() < 0.5 ? cashier.id : manager.id,
        denominations: { '1000': int(0, 20), '500': int(0, 10), '100': int(0, 10), '10': int(0, 9) },
      }),
    );

  while (!finishing) {
    if (made >= args.target) {
      if (!reachedTarget) announce('TARGET');
      reachedTarget = true;
      await sleep(200);
      continue;
    }
    const shift = ensureShift();
    const r = random();
    if (r < 0.88) ringSale(shift);
    else if (r < 0.94) refundOne();
    else if (r < 0.985) voidOne(shift);
    else close(shift);
    // Let the sync run beside the counter, as the timer's worker thread does in the app.
    await new Promise((resolve) => setImmediate(resolve));
  }

  const open = getOpenShift(deps.db);
  if (open) close(open);
  for (;;) {
    const counts = outboxCounts(deps.db);
    if (counts.pending === 0 && counts.queuedNotAcked === 0) break;
    await sleep(300);
  }
  stopSelling = true;
  await syncing;
  announce('DONE');
}

main().then(
  () => {
    till.store.close();
    process.exit(0);
  },
  (e: unknown) => {
    process.stderr.write(`chaos till ${args.dir}: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(2);
  },
);
