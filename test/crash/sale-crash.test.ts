/**
 * A sale the till announced as done survives a hard kill (brief, principle 1).
 *
 * A child process (ring-sales.ts) rings up sales, refunds and voids on a real
 * SQLite file and prints one line after each one commits. We SIGKILL it at a
 * random moment, again and again on the same file, and after every kill open
 * a copy of the crash image (database + WAL, no shared-memory index, so SQLite
 * must recover from the WAL) and check that every announced fact is there and
 * that the store is whole: gap-free outbox and receipt sequences, every fact
 * with its outbox event and every event with its fact, integrity and foreign
 * keys. The child restarts on the original file, recovering its hot WAL.
 *
 * CRASH_SEED=<n> replays the random choices of a failed run; CRASH_KILLS=<n>
 * changes the number of kills.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatReceiptNo } from '../../shared/receipt';
import { parseEvent, type TillEvent } from '../../shared/wire/events';
import { openStore, type ReadableDB } from '../../main/store/db';
import { getTillIdentity } from '../../main/store/till';
import { seededRandom as prng } from '../../main/testing/random';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./ring-sales.ts', import.meta.url));
const KILLS = Number(process.env.CRASH_KILLS ?? 20);
const SEED = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** The kill lands this long after the child's first line. */
const KILL_AFTER_MS = { min: 50, max: 400 };
/** A child that has not printed by then is stuck, not slow. */
const FIRST_LINE_TIMEOUT_MS = 20_000;

type Announced =
  | { kind: 'SALE'; run: number; receiptNo: string; saleId: string; total: number; outboxSeq: number }
  | { kind: 'REFUND'; run: number; refundId: string; receiptNo: string; total: number }
  | { kind: 'VOID'; run: number; voidId: string; receiptNo: string }
  | { kind: 'OPEN' | 'CLOSE'; run: number; shiftId: string };

function parseLine(line: string, run: number): Announced {
  const [kind, ...f] = line.split(' ');
  const num = (s: string | undefined): number => {
    const n = Number(s);
    if (!Number.isSafeInteger(n)) throw new Error(`run ${run}: bad number in "${line}"`);
    return n;
  };
  const str = (s: string | undefined): string => {
    if (!s) throw new Error(`run ${run}: missing field in "${line}"`);
    return s;
  };
  switch (kind) {
    case 'SALE':
      return { kind, run, receiptNo: str(f[0]), saleId: str(f[1]), total: num(f[2]), outboxSeq: num(f[3]) };
    case 'REFUND':
      return { kind, run, refundId: str(f[0]), receiptNo: str(f[1]), total: num(f[2]) };
    case 'VOID':
      return { kind, run, voidId: str(f[0]), receiptNo: str(f[1]) };
    case 'OPEN':
    case 'CLOSE':
      return { kind, run, shiftId: str(f[0]) };
    default:
      throw new Error(`run ${run}: the child printed an unknown line "${line}"`);
  }
}

interface Run {
  /** The child's READY line: its connection's journal mode and synchronous setting. */
  readonly ready: string | undefined;
  readonly lines: string[];
  readonly signal: NodeJS.Signals | null;
  readonly code: number | null;
  readonly stderr: string;
  readonly killAfterMs: number;
}

/** Starts the child, kills it `killAfterMs` after its first line, and collects every whole line it printed. */
function runAndKill(dbPath: string, seed: number, killAfterMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dbPath, String(seed)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let stderr = '';
    let killTimer: NodeJS.Timeout | undefined;
    const stuck = setTimeout(() => child.kill('SIGKILL'), FIRST_LINE_TIMEOUT_MS);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (!killTimer && /^(?!READY )[^\n]*\n/m.test(out)) {
        clearTimeout(stuck);
        killTimer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    // 'close', not 'exit': what the child wrote before it died is still in the pipe.
    child.on('close', (code, signal) => {
      clearTimeout(stuck);
      clearTimeout(killTimer);
      // A line without its newline was not announced in full; the child writes
      // each in one write(2), so this does not happen, but it must not count.
      const all = out.split('\n').slice(0, -1);
      const ready = all[0]?.startsWith('READY ') ? all[0] : undefined;
      resolve({ ready, lines: ready ? all.slice(1) : all, signal, code, stderr, killAfterMs });
    });
  });
}

/** A crash image: the database and its WAL as the kill left them, without the -shm index. */
function snapshot(dbPath: string, dir: string): { path: string; walBytes: number } {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'till.sqlite');
  copyFileSync(dbPath, path);
  const wal = `${dbPath}-wal`;
  const walBytes = existsSync(wal) ? statSync(wal).size : 0;
  if (existsSync(wal)) copyFileSync(wal, `${path}-wal`);
  return { path, walBytes };
}

interface SaleRow {
  id: string;
  receipt_seq: number;
  receipt_no: string;
  shift_id: string;
  total: number;
  vat_total: number;
  change: number;
  outbox_seq: number;
  lines: number;
  lines_net: number | null;
  lines_vat: number | null;
  paid: number | null;
}

interface Summary {
  readonly sales: number;
  readonly events: number;
  /** Sales on disk beyond the last one announced: the kill fell between commit and print. */
  readonly unannouncedSales: number;
}

/**
 * Opens the file with the till's own openStore (recovering the WAL) and
 * returns every problem found, each naming the receipt, sequence or id.
 */
function check(path: string, announced: readonly Announced[]): { problems: string[]; summary: Summary } {
  const problems: string[] = [];
  const store = openStore(path);
  try {
    const db: ReadableDB = store.read;
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
    const fk = db.pragma('foreign_key_check') as unknown[];
    if (fk.length > 0) problems.push(`foreign_key_check: ${JSON.stringify(fk.slice(0, 5))}`);
    const counter = (name: string) =>
      (db.prepare('SELECT last FROM counters WHERE name = ?').pluck().get(name) as number | undefined) ?? -1;

    // The outbox: 1..max without a gap, the counter at max, every body a valid event.
    const outbox = db.prepare('SELECT seq, event_id, type, body FROM outbox ORDER BY seq').all() as {
      seq: number;
      event_id: string;
      type: string;
      body: string;
    }[];
    const events = new Map<number, TillEvent>();
    const eventsByType = new Map<string, number>();
    outbox.forEach((row, i) => {
      // Only where the sequence first goes astray; the count below catches the rest.
      if (row.seq !== i + 1 && (i === 0 || outbox[i - 1]?.seq === i)) {
        problems.push(`outbox gap: expected seq ${i + 1}, found ${row.seq}`);
      }
      let raw: unknown;
      try {
        raw = JSON.parse(row.body);
      } catch (e) {
        problems.push(`outbox seq ${row.seq}: body is not JSON (${(e as Error).message})`);
        return;
      }
      const parsed = parseEvent(raw);
      if (!parsed.ok) {
        problems.push(`outbox seq ${row.seq}: ${parsed.error.field}: ${parsed.error.reason}`);
        return;
      }
      const e = parsed.value;
      if (e.seq !== row.seq || e.type !== row.type || e.id !== row.event_id) {
        problems.push(
          `outbox seq ${row.seq}: row (${row.type}, ${row.event_id}) and body (${e.seq}, ${e.type}, ${e.id}) differ`,
        );
      }
      events.set(row.seq, e);
      eventsByType.set(e.type, (eventsByType.get(e.type) ?? 0) + 1);
    });
    const maxSeq = outbox.at(-1)?.seq ?? 0;
    if (outbox.length !== maxSeq) problems.push(`outbox has ${outbox.length} rows but its last seq is ${maxSeq}`);
    if (counter('outbox') !== maxSeq)
      problems.push(`counter 'outbox' is ${counter('outbox')}, outbox max seq ${maxSeq}`);

    // Sales: receipts 1..n without a gap, lines and payments adding up, each with its sale.completed event.
    const till = getTillIdentity(db);
    if (!till) problems.push('the till has no identity');
    const sales = db
      .prepare(
        `SELECT s.id, s.receipt_seq, s.receipt_no, s.shift_id, s.total, s.vat_total, s.change, s.outbox_seq,
           (SELECT count(*) FROM sale_lines l WHERE l.sale_id = s.id) AS lines,
           (SELECT sum(l.net) FROM sale_lines l WHERE l.sale_id = s.id) AS lines_net,
           (SELECT sum(l.vat) FROM sale_lines l WHERE l.sale_id = s.id) AS lines_vat,
           (SELECT sum(p.amount) FROM sale_payments p WHERE p.sale_id = s.id) AS paid
         FROM sales s ORDER BY s.receipt_seq`,
      )
      .all() as SaleRow[];
    const salesByReceipt = new Map<string, SaleRow>();
    sales.forEach((s, i) => {
      salesByReceipt.set(s.receipt_no, s);
      const r = s.receipt_no;
      if (s.receipt_seq !== i + 1 && (i === 0 || sales[i - 1]?.receipt_seq === i)) {
        problems.push(`receipt gap: expected receipt seq ${i + 1}, found ${s.receipt_seq} (${r})`);
      }
      if (till && r !== formatReceiptNo({ ...till, seq: s.receipt_seq })) {
        problems.push(`${r}: receipt number does not match its sequence ${s.receipt_seq}`);
      }
      if (s.lines === 0) problems.push(`${r}: has no lines`);
      if (s.lines_net !== s.total) problems.push(`${r}: lines sum to ${s.lines_net}, total is ${s.total}`);
      if (s.lines_vat !== s.vat_total) problems.push(`${r}: line VAT sums to ${s.lines_vat}, VAT is ${s.vat_total}`);
      if ((s.paid ?? 0) - s.change !== s.total) {
        problems.push(`${r}: paid ${s.paid} less change ${s.change} is not the total ${s.total}`);
      }
      const e = events.get(s.outbox_seq);
      if (
        e?.type !== 'sale.completed' ||
        e.payload.saleId !== s.id ||
        e.payload.receiptNo !== r ||
        e.payload.total !== s.total ||
        e.payload.lines.length !== s.lines
      ) {
        problems.push(`${r}: outbox seq ${s.outbox_seq} is not its sale.completed event (${e?.type ?? 'missing'})`);
      }
    });
    const maxReceipt = sales.at(-1)?.receipt_seq ?? 0;
    if (sales.length !== maxReceipt) problems.push(`${sales.length} sales but the last receipt seq is ${maxReceipt}`);
    if (counter('receipt') !== maxReceipt) {
      problems.push(`counter 'receipt' is ${counter('receipt')}, last receipt seq ${maxReceipt}`);
    }

    // Refunds and voids, each with its event; refund lines adding up.
    const refunds = db
      .prepare(
        `SELECT r.id, r.total, r.outbox_seq, s.receipt_no,
           (SELECT sum(amount) FROM refund_lines l WHERE l.refund_id = r.id) AS lines_total
         FROM refunds r JOIN sales s ON s.id = r.sale_id`,
      )
      .all() as { id: string; total: number; outbox_seq: number; receipt_no: string; lines_total: number | null }[];
    const refundsById = new Map(refunds.map((r) => [r.id, r]));
    for (const r of refunds) {
      if (r.lines_total !== r.total) {
        problems.push(`refund ${r.id} of ${r.receipt_no}: lines sum to ${r.lines_total}, total ${r.total}`);
      }
      const e = events.get(r.outbox_seq);
      if (e?.type !== 'sale.refunded' || e.payload.refundId !== r.id || e.payload.total !== r.total) {
        problems.push(`refund ${r.id} of ${r.receipt_no}: outbox seq ${r.outbox_seq} is not its sale.refunded event`);
      }
    }
    const voids = db
      .prepare('SELECT v.id, v.outbox_seq, s.receipt_no FROM voids v JOIN sales s ON s.id = v.sale_id')
      .all() as { id: string; outbox_seq: number; receipt_no: string }[];
    const voidsById = new Map(voids.map((v) => [v.id, v]));
    for (const v of voids) {
      const e = events.get(v.outbox_seq);
      if (e?.type !== 'sale.voided' || e.payload.voidId !== v.id || e.payload.receiptNo !== v.receipt_no) {
        problems.push(`void ${v.id} of ${v.receipt_no}: outbox seq ${v.outbox_seq} is not its sale.voided event`);
      }
    }
    const shifts = db.prepare('SELECT id, closed_at FROM shifts').all() as { id: string; closed_at: number | null }[];
    const shiftsById = new Map(shifts.map((s) => [s.id, s]));

    // Every event has its fact: no outbox row committed without what it reports.
    const facts: [string, number][] = [
      ['sale.completed', sales.length],
      ['sale.refunded', refunds.length],
      ['sale.voided', voids.length],
      ['shift.opened', shifts.length],
      ['shift.closed', shifts.filter((s) => s.closed_at !== null).length],
    ];
    for (const [type, n] of facts) {
      if ((eventsByType.get(type) ?? 0) !== n)
        problems.push(`${eventsByType.get(type) ?? 0} ${type} events for ${n} rows`);
    }
    // Stock is the sum of movements: each sold, refunded or voided line moved stock in the same transaction.
    const movements = db
      .prepare(
        `SELECT (SELECT count(*) FROM stock_movements WHERE reason = 'sale') AS sale,
                (SELECT count(*) FROM sale_lines) AS sale_lines,
                (SELECT count(*) FROM stock_movements WHERE reason = 'refund') AS refund,
                (SELECT count(*) FROM refund_lines) AS refund_lines,
                (SELECT count(*) FROM stock_movements WHERE reason = 'void') AS void,
                (SELECT count(*) FROM sale_lines l JOIN voids v ON v.sale_id = l.sale_id) AS voided_lines`,
      )
      .get() as Record<string, number>;
    for (const [kind, lines] of [
      ['sale', 'sale_lines'],
      ['refund', 'refund_lines'],
      ['void', 'voided_lines'],
    ] as const) {
      if (movements[kind] !== movements[lines]) {
        problems.push(`${movements[kind]} '${kind}' stock movements for ${movements[lines]} ${lines}`);
      }
    }

    // What the child announced is all there, as announced.
    let lastAnnouncedReceipt = 0;
    for (const a of announced) {
      const where = `(announced in run ${a.run})`;
      switch (a.kind) {
        case 'SALE': {
          const s = salesByReceipt.get(a.receiptNo);
          if (!s) {
            problems.push(`sale ${a.receiptNo} ${where} is missing`);
            break;
          }
          lastAnnouncedReceipt = Math.max(lastAnnouncedReceipt, s.receipt_seq);
          if (s.id !== a.saleId) problems.push(`sale ${a.receiptNo} ${where} is sale ${s.id}, announced ${a.saleId}`);
          if (s.total !== a.total)
            problems.push(`sale ${a.receiptNo} ${where} totals ${s.total}, announced ${a.total}`);
          if (s.outbox_seq !== a.outboxSeq) {
            problems.push(`sale ${a.receiptNo} ${where} has outbox seq ${s.outbox_seq}, announced ${a.outboxSeq}`);
          }
          break;
        }
        case 'REFUND': {
          const r = refundsById.get(a.refundId);
          if (!r) problems.push(`refund ${a.refundId} of ${a.receiptNo} ${where} is missing`);
          else if (r.receipt_no !== a.receiptNo || r.total !== a.total) {
            problems.push(
              `refund ${a.refundId} ${where} is of ${r.receipt_no} for ${r.total}, announced ${a.receiptNo} for ${a.total}`,
            );
          }
          break;
        }
        case 'VOID': {
          const v = voidsById.get(a.voidId);
          if (!v) problems.push(`void ${a.voidId} of ${a.receiptNo} ${where} is missing`);
          else if (v.receipt_no !== a.receiptNo)
            problems.push(`void ${a.voidId} ${where} is of ${v.receipt_no}, announced ${a.receiptNo}`);
          break;
        }
        case 'OPEN':
        case 'CLOSE': {
          const s = shiftsById.get(a.shiftId);
          if (!s) problems.push(`shift ${a.shiftId} ${where} is missing`);
          else if (a.kind === 'CLOSE' && s.closed_at === null)
            problems.push(`shift ${a.shiftId} ${where} is open again`);
          break;
        }
      }
    }
    return {
      problems,
      summary: { sales: sales.length, events: outbox.length, unannouncedSales: maxReceipt - lastAnnouncedReceipt },
    };
  } finally {
    store.close();
  }
}

/** Each line of one run comes after the one before it: receipts and outbox sequences only go up. */
function checkOrder(run: readonly Announced[]): string[] {
  const problems: string[] = [];
  let lastSeq = 0;
  for (const a of run) {
    if (a.kind !== 'SALE') continue;
    if (a.outboxSeq <= lastSeq)
      problems.push(`sale ${a.receiptNo} (run ${a.run}) announced outbox seq ${a.outboxSeq} after ${lastSeq}`);
    lastSeq = a.outboxSeq;
  }
  return problems;
}

describe('a completed sale survives a hard kill', () => {
  it(`keeps every announced sale, refund and void through ${KILLS} SIGKILLs (seed ${SEED})`, async () => {
    const started = Date.now();
    const random = prng(SEED);
    const dir = mkdtempSync(join(tmpdir(), 'haat-crash-'));
    const dbPath = join(dir, 'till.sqlite');
    let passed = false;
    try {
      const announced: Announced[] = [];
      const receipts = new Map<string, string>();
      let killsWithWal = 0;
      let unannounced = 0;
      let summary: Summary = { sales: 0, events: 0, unannouncedSales: 0 };
      for (let run = 1; run <= KILLS; run++) {
        const killAfterMs = KILL_AFTER_MS.min + Math.floor(random() * (KILL_AFTER_MS.max - KILL_AFTER_MS.min + 1));
        const childSeed = Math.floor(random() * 2 ** 31);
        const r = await runAndKill(dbPath, childSeed, killAfterMs);
        const context = `run ${run} (seed ${SEED}, child seed ${childSeed}, killed ${killAfterMs} ms after its first line, db ${dbPath})`;
        if (r.signal !== 'SIGKILL') {
          throw new Error(`${context}: the child ended on its own (code ${r.code}, signal ${r.signal}):\n${r.stderr}`);
        }
        // SIGKILL leaves the OS page cache intact, so it cannot tell FULL from OFF; power loss could.
        // The child's own connection must say WAL and synchronous FULL (2) or EXTRA (3).
        expect(r.ready, `${context}: journal mode and synchronous`).toMatch(/^READY wal [23]$/);
        expect(r.lines.length, `${context}: the child printed no fact before the kill\n${r.stderr}`).toBeGreaterThan(0);
        const lines = r.lines.map((l) => parseLine(l, run));
        for (const a of lines) {
          if (a.kind !== 'SALE') continue;
          const before = receipts.get(a.receiptNo);
          if (before && before !== a.saleId) {
            throw new Error(`${context}: receipt ${a.receiptNo} announced twice, for sales ${before} and ${a.saleId}`);
          }
          receipts.set(a.receiptNo, a.saleId);
        }
        announced.push(...lines);

        const image = snapshot(dbPath, join(dir, `after-kill-${run}`));
        if (image.walBytes > 0) killsWithWal++;
        const result = check(image.path, announced);
        const problems = [...checkOrder(lines), ...result.problems];
        expect(problems, `${context}: after the kill`).toEqual([]);
        rmSync(join(dir, `after-kill-${run}`), { recursive: true, force: true });
        unannounced += result.summary.unannouncedSales;
        summary = result.summary;
      }

      // The original file as the last kill left it, opened in place.
      const final = check(dbPath, announced);
      expect(final.problems, `the database after all ${KILLS} kills (seed ${SEED}, db ${dbPath})`).toEqual([]);

      const sales = announced.filter((a) => a.kind === 'SALE').length;
      const count = (kind: Announced['kind']) => announced.filter((a) => a.kind === kind).length;
      console.log(
        `crash test (seed ${SEED}): ${KILLS} kills, ${sales} sales, ${count('REFUND')} refunds, ${count('VOID')} voids, ` +
          `${count('CLOSE')} shift closes announced; ${summary.sales} sales and ${summary.events} outbox events on disk; ` +
          `${unannounced} sales committed but not yet announced at a kill; ${killsWithWal} kills left a WAL; ` +
          `${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      expect(sales, 'sales announced across all runs').toBeGreaterThan(0);
      expect(final.summary.sales).toBeGreaterThanOrEqual(sales);
      // Recovery was exercised: the kills left a WAL to replay, not a checkpointed file.
      expect(killsWithWal, 'kills that left a WAL behind').toBeGreaterThan(0);
      passed = true;
    } finally {
      // A failed run keeps its folder for a post-mortem; its path is in the failure message.
      if (passed) rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
