import type { SalesBatch } from '../../shared/wire/batch';
import type { TillEvent } from '../../shared/wire/events';
import { copyBinary, CopyRows, copyStream, type CopyType } from '../db/copy-binary';
import { sqlState, type Queryable } from '../db/database';
import { applyReceived, type SeqRange, type SequenceState } from './sequence-ranges';

/**
 * Writes verified batches into the central database, set-based: one
 * statement per table per call, whatever the number of batches (an unnest
 * insert, or a binary COPY where the backend has it). Run it inside one
 * transaction; a batch delivered again, late or out of order, changes nothing.
 */
export interface VerifiedBatch {
  readonly messageId: string;
  readonly batch: SalesBatch;
}

/** A batch without its events. */
export type BatchHeader = Omit<SalesBatch, 'events'>;

export function batchHeader(batch: SalesBatch): BatchHeader {
  const { type, v, id, branch, till, firstSeq, lastSeq, deviceTime } = batch;
  return { type, v, id, branch, till, firstSeq, lastSeq, deviceTime };
}

/** Rows of one table in binary COPY form, without header or trailer. */
export interface CopyTuples {
  readonly rows: number;
  readonly bytes: Uint8Array;
}

/** A batch's rows made ready for COPY, on the assumption that its events are new. */
export interface PreparedRows {
  readonly events: CopyTuples;
  /** One per fact table, in the order of `factRows(…).tables`. */
  readonly facts: readonly CopyTuples[];
  readonly touchedSales: readonly string[];
  readonly customerSales: readonly string[];
}

/**
 * A batch turned into COPY rows as soon as it was opened, its objects let go
 * (they die young instead of waiting for the writer, which halves the
 * worker's memory and garbage collection). Should some of its events turn
 * out not to be new, the batch is read again from its message.
 */
export interface PreparedBatch {
  readonly messageId: string;
  readonly header: BatchHeader;
  readonly rows: PreparedRows;
  reopen(): Promise<SalesBatch>;
}

export type IngestInput = VerifiedBatch | PreparedBatch;

export function headerOf(input: IngestInput): BatchHeader {
  return 'batch' in input ? input.batch : input.header;
}

interface Column {
  readonly name: string;
  /** The PostgreSQL type of one element; jsonb travels as text and is cast. */
  readonly type: CopyType;
}

function columns(spec: string): Column[] {
  return spec
    .trim()
    .split(/\s*,\s*/)
    .map((part) => {
      const [name, type] = part.split(/\s+/) as [string, Column['type']];
      return { name, type };
    });
}

/** Rows for one table, the way one set-based statement takes them. */
export interface RowBuffer {
  readonly table: string;
  readonly cols: readonly Column[];
  readonly size: number;
  push(...values: unknown[]): void;
  /**
   * Inserts rows known to be new: by COPY where the backend has it, else one
   * unnest insert. A duplicate key fails the transaction; it means the
   * message contradicts itself or an earlier one (one sale id in two events).
   */
  insertNew(tx: Queryable): Promise<void>;
  /** The rows as a binary COPY stream. */
  copyData(): Buffer;
}

/** Rows collected column by column: for unnest arrays, and COPY where needed. */
export class ColumnBuffer implements RowBuffer {
  readonly cols: Column[];
  readonly data: unknown[][];
  constructor(
    readonly table: string,
    spec: string,
  ) {
    this.cols = columns(spec);
    this.data = this.cols.map(() => []);
  }
  get size(): number {
    return this.data[0]?.length ?? 0;
  }
  push(...values: unknown[]): void {
    for (let i = 0; i < this.cols.length; i++) this.data[i]!.push(values[i] ?? null);
  }
  copyData(): Buffer {
    return copyBinary(
      this.cols.map((c) => c.type),
      this.data,
      this.size,
    );
  }
  async insertNew(tx: Queryable): Promise<void> {
    if (this.size === 0) return;
    const names = this.cols.map((c) => c.name);
    if (tx.copyFrom) {
      await tx.copyFrom(this.table, names, this.copyData());
      return;
    }
    const arrays = this.cols.map((c, i) => `$${i + 1}::${c.type === 'jsonb' ? 'text' : c.type}[]`);
    const select = this.cols.map((c) => (c.type === 'jsonb' ? `u.${c.name}::jsonb` : `u.${c.name}`));
    await tx.query(
      `INSERT INTO ${this.table} (${names.join(', ')})
       SELECT ${select.join(', ')} FROM unnest(${arrays.join(', ')}) AS u (${names.join(', ')})`,
      this.data.map((values, i) => arrayLiteral(values, this.cols[i]!.type)),
    );
  }

  /** Inserts the rows that are not there yet; returns how many were new. */
  async insert(tx: Queryable): Promise<number> {
    if (this.size === 0) return 0;
    const names = this.cols.map((c) => c.name);
    const arrays = this.cols.map((c, i) => `$${i + 1}::${c.type === 'jsonb' ? 'text' : c.type}[]`);
    const select = this.cols.map((c) => (c.type === 'jsonb' ? `u.${c.name}::jsonb` : `u.${c.name}`));
    const [row] = await tx.query<{ n: number }>(
      `WITH inserted AS (
         INSERT INTO ${this.table} (${names.join(', ')})
         SELECT ${select.join(', ')} FROM unnest(${arrays.join(', ')}) AS u (${names.join(', ')})
         ON CONFLICT DO NOTHING
         RETURNING 1
       ) SELECT count(*)::int AS n FROM inserted`,
      this.data.map((values, i) => arrayLiteral(values, this.cols[i]!.type)),
    );
    return row?.n ?? 0;
  }
}

/**
 * Rows written straight into a binary COPY stream as they are pushed, for a
 * backend with COPY: nothing is kept per row or per field but the bytes.
 */
export class CopyBuffer extends CopyRows implements RowBuffer {
  readonly cols: Column[];
  constructor(
    readonly table: string,
    spec: string,
    initialBytes?: number,
  ) {
    const cols = columns(spec);
    super(
      cols.map((c) => c.type),
      initialBytes,
    );
    this.cols = cols;
  }
  get size(): number {
    return this.rows;
  }
  copyTuples(): CopyTuples {
    return { rows: this.rows, bytes: this.tuples() };
  }
  copyData(): Buffer {
    return this.finish();
  }
  async insertNew(tx: Queryable): Promise<void> {
    if (this.size === 0) return;
    if (!tx.copyFrom) throw new Error(`${this.table}: rows made for COPY on a backend without it`);
    await tx.copyFrom(
      this.table,
      this.cols.map((c) => c.name),
      this.copyData(),
    );
  }
}

/** Control characters and lone surrogates: JSON would escape them in a way PostgreSQL reads differently. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it looks for
const NOT_JSON_SAFE = /[\u0000-\u001f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A PostgreSQL array literal, built here rather than by the driver: for the
 * hundreds of thousands of values in one receive this is several times
 * faster, and the same text serves PGlite and node-postgres. Numbers and
 * UUIDs need no quoting; a text array is its JSON form with braces, since
 * JSON quotes every string and escapes `"` and `\` exactly as an array
 * literal does, except for control characters, which take the slow path.
 */
export function arrayLiteral(values: readonly unknown[], type: Column['type']): string {
  if (type !== 'text' && type !== 'jsonb') return `{${values.map((v) => v ?? 'NULL').join(',')}}`;
  if (values.every((v) => typeof v !== 'string' || !NOT_JSON_SAFE.test(v))) {
    return `{${JSON.stringify(values).slice(1, -1)}}`;
  }
  const parts = values.map((v) =>
    v === null || v === undefined ? 'NULL' : `"${String(v).replace(/[\\"]/g, '\\$&')}"`,
  );
  return `{${parts.join(',')}}`;
}

const BATCH_COLUMNS =
  'id uuid, branch text, till_no int, first_seq bigint, last_seq bigint, device_time bigint, message_id text';
const EVENT_COLUMNS = 'id uuid, branch text, till_no int, seq bigint, type text, at bigint, batch_id uuid';
const EVENT_NAMES = columns(EVENT_COLUMNS).map((c) => c.name);

/** The rows every message makes, new or not: its batch and its events, the gate of its facts. */
export function gateRows(verified: readonly VerifiedBatch[]) {
  const batches = new ColumnBuffer('ingest_batches', BATCH_COLUMNS);
  const events = new ColumnBuffer('till_events', EVENT_COLUMNS);
  for (const { messageId, batch } of verified) {
    batches.push(batch.id, batch.branch, batch.till, batch.firstSeq, batch.lastSeq, batch.deviceTime, messageId);
    for (const e of batch.events) events.push(e.id, batch.branch, batch.till, e.seq, e.type, e.at, batch.id);
  }
  return { batches, events };
}

function factBuffers(copy: boolean, initialBytes?: number) {
  const make = (table: string, spec: string): RowBuffer =>
    copy ? new CopyBuffer(table, spec, initialBytes) : new ColumnBuffer(table, spec);
  return {
    sales: make(
      'sales',
      `id uuid, branch text, till_no int, seq bigint, receipt_no text, shift_id uuid, cashier_id uuid,
       started_at bigint, completed_at bigint, subtotal bigint, cart_discount bigint, cart_discount_approved_by uuid,
       discount_total bigint, vat_total bigint, total bigint, cash_received bigint, change bigint,
       customer_phone text, customer_name text, offline bool, tender_approved_by uuid`,
    ),
    lines: make(
      'sale_lines',
      `sale_id uuid, line_no int, product_id uuid, barcode text, name_en text, name_bn text, unit text,
       quantity bigint, unit_price bigint, vat_rate int, vat_mode text, gross bigint, line_discount bigint,
       cart_discount_share bigint, net bigint, vat bigint, discount_approved_by uuid`,
    ),
    payments: make('sale_payments', 'sale_id uuid, payment_no int, method text, amount bigint, reference text'),
    voids: make(
      'voids',
      `id uuid, sale_id uuid, branch text, till_no int, seq bigint, receipt_no text, shift_id uuid,
       cashier_id uuid, manager_id uuid, reason text, voided_at bigint`,
    ),
    refunds: make(
      'refunds',
      `id uuid, sale_id uuid, branch text, till_no int, seq bigint, receipt_no text, shift_id uuid,
       cashier_id uuid, manager_id uuid, method text, reference text, total bigint, vat_total bigint,
       reason text, refunded_at bigint`,
    ),
    refundLines: make(
      'refund_lines',
      'refund_id uuid, line_no int, product_id uuid, quantity bigint, amount bigint, vat bigint',
    ),
    shifts: make(
      'shifts',
      'id uuid, branch text, till_no int, seq bigint, cashier_id uuid, opening_float bigint, opened_at bigint',
    ),
    shiftCloses: make(
      'shift_closes',
      `shift_id uuid, branch text, till_no int, seq bigint, cashier_id uuid, closed_by uuid, opened_at bigint,
       closed_at bigint, expected_cash bigint, counted_cash bigint, difference bigint, denominations jsonb,
       z_report jsonb`,
    ),
    stock: make(
      'stock_movements',
      'ref_id uuid, line_no int, branch text, product_id uuid, quantity bigint, reason text, at bigint',
    ),
    offlineStarts: make(
      'till_offline_starts',
      'period_id uuid, branch text, till_no int, seq bigint, cause text, started_at bigint, started_by uuid, detail text',
    ),
    offlineEnds: make(
      'till_offline_ends',
      'period_id uuid, branch text, till_no int, seq bigint, cause text, ended_at bigint, ended_by uuid',
    ),
  };
}

export type FactTables = ReturnType<typeof factBuffers>;

export interface FactRows {
  readonly tables: FactTables;
  /** Sales that were completed or voided: their void's stock movements may be due now. */
  readonly touchedSales: string[];
  /** Sales with a customer: the customers to merge. Most sales have none, and skip that statement. */
  readonly customerSales: string[];
}

function collectEvent(rows: FactRows, branch: string, till: number, e: TillEvent): void {
  const t = rows.tables;
  switch (e.type) {
    case 'sale.completed': {
      const p = e.payload;
      rows.touchedSales.push(p.saleId);
      if (p.customer) rows.customerSales.push(p.saleId);
      t.sales.push(
        p.saleId,
        branch,
        till,
        e.seq,
        p.receiptNo,
        p.shiftId,
        p.cashierId,
        p.startedAt,
        p.completedAt,
        p.subtotal,
        p.cartDiscount,
        p.cartDiscountApprovedBy,
        p.discountTotal,
        p.vatTotal,
        p.total,
        p.cashReceived,
        p.change,
        // A version 1 sale had no customer and was taken online.
        p.customer?.phone ?? null,
        p.customer?.name ?? null,
        p.offline ?? false,
        p.tenderApprovedBy ?? null,
      );
      for (const l of p.lines) {
        t.lines.push(
          p.saleId,
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
          l.cartDiscountShare,
          l.net,
          l.vat,
          l.discountApprovedBy,
        );
        t.stock.push(p.saleId, l.lineNo, branch, l.productId, -l.quantity, 'sale', p.completedAt);
      }
      p.payments.forEach((pay, i) => t.payments.push(p.saleId, i + 1, pay.method, pay.amount, pay.reference));
      return;
    }
    case 'sale.voided': {
      const p = e.payload;
      rows.touchedSales.push(p.saleId);
      t.voids.push(
        p.voidId,
        p.saleId,
        branch,
        till,
        e.seq,
        p.receiptNo,
        p.shiftId,
        p.cashierId,
        p.managerId,
        p.reason,
        p.voidedAt,
      );
      return;
    }
    case 'sale.refunded': {
      const p = e.payload;
      t.refunds.push(
        p.refundId,
        p.saleId,
        branch,
        till,
        e.seq,
        p.receiptNo,
        p.shiftId,
        p.cashierId,
        p.managerId,
        p.method,
        p.reference,
        p.total,
        p.vatTotal,
        p.reason,
        p.refundedAt,
      );
      for (const l of p.lines) {
        t.refundLines.push(p.refundId, l.lineNo, l.productId, l.quantity, l.amount, l.vat);
        t.stock.push(p.refundId, l.lineNo, branch, l.productId, l.quantity, 'refund', p.refundedAt);
      }
      return;
    }
    case 'shift.opened': {
      const p = e.payload;
      t.shifts.push(p.shiftId, branch, till, e.seq, p.cashierId, p.openingFloat, p.openedAt);
      return;
    }
    case 'shift.closed': {
      const p = e.payload;
      t.shiftCloses.push(
        p.shiftId,
        branch,
        till,
        e.seq,
        p.cashierId,
        p.closedBy,
        p.openedAt,
        p.closedAt,
        p.z.expectedCash,
        p.z.countedCash,
        p.z.difference,
        JSON.stringify(p.denominations),
        JSON.stringify(p.z),
      );
      return;
    }
    case 'till.offline': {
      const p = e.payload;
      t.offlineStarts.push(p.periodId, branch, till, e.seq, p.cause, p.startedAt, p.by, p.detail);
      return;
    }
    case 'till.online': {
      const p = e.payload;
      t.offlineEnds.push(p.periodId, branch, till, e.seq, p.cause, p.endedAt, p.by);
      return;
    }
  }
}

/**
 * The rows of every fact table that these batches make; with `only`, the
 * facts of just those events. `copy` writes them straight into binary COPY
 * streams, for a backend that has COPY.
 */
export function factRows(
  verified: readonly VerifiedBatch[],
  only?: ReadonlySet<string>,
  copy = false,
  initialBytes?: number,
): FactRows {
  const rows: FactRows = { tables: factBuffers(copy, initialBytes), touchedSales: [], customerSales: [] };
  // An event twice in one call (the same message delivered twice into one
  // receive) gives its facts once.
  const pending = only ? new Set(only) : undefined;
  for (const { batch } of verified) {
    for (const e of batch.events) {
      if (!pending || pending.delete(e.id)) collectEvent(rows, batch.branch, batch.till, e);
    }
  }
  return rows;
}

/** One batch's rows for COPY, made as it is opened; see PreparedBatch. */
export function prepareRows(batch: SalesBatch): PreparedRows {
  const events = new CopyBuffer('till_events', EVENT_COLUMNS, 16 * 1024);
  for (const e of batch.events) events.push(e.id, batch.branch, batch.till, e.seq, e.type, e.at, batch.id);
  const facts = factRows([{ messageId: '', batch }], undefined, true, 16 * 1024);
  return {
    events: events.copyTuples(),
    facts: Object.values(facts.tables).map((t) => (t as CopyBuffer).copyTuples()),
    touchedSales: facts.touchedSales,
    customerSales: facts.customerSales,
  };
}

const tillKey = (branch: string, till: number) => `${branch}\u0000${till}`;

export interface IngestSummary {
  readonly batches: number;
  readonly events: number;
  /** Events that were new to the central database. */
  readonly newEvents: number;
}

/**
 * Ingests batches in the caller's transaction. The event rows are the gate:
 * the transaction that inserts an event is the only one that writes its
 * facts. A duplicate delivery, here or in a concurrent transaction (which
 * waits on the key until this one ends), inserts no event and so writes
 * nothing more; new facts then cannot collide, and go in by COPY where the
 * backend has it.
 */
export async function ingestBatches(tx: Queryable, input: readonly IngestInput[]): Promise<IngestSummary> {
  const headers = input.map(headerOf);
  const batchRows = new ColumnBuffer('ingest_batches', BATCH_COLUMNS);
  input.forEach((x, i) => {
    const b = headers[i]!;
    batchRows.push(b.id, b.branch, b.till, b.firstSeq, b.lastSeq, b.deviceTime, x.messageId);
  });
  await batchRows.insert(tx);
  const written = (await insertPrepared(tx, input)) ?? (await insertReopened(tx, input));
  const { events, newEvents, touchedSales, customerSales } = written;

  const received = new Map<string, { branch: string; till: number; ranges: SeqRange[]; deviceTime: number }>();
  for (const batch of headers) {
    const key = tillKey(batch.branch, batch.till);
    const entry = received.get(key) ?? { branch: batch.branch, till: batch.till, ranges: [], deviceTime: 0 };
    entry.ranges.push({ first: batch.firstSeq, last: batch.lastSeq });
    entry.deviceTime = Math.max(entry.deviceTime, batch.deviceTime);
    received.set(key, entry);
  }
  const tills = [...received.values()].sort((a, b) =>
    a.branch === b.branch ? a.till - b.till : a.branch < b.branch ? -1 : 1,
  );

  // The tail, one transaction per branch at a time: lock the branches' rows,
  // always in the same order so that workers take turns instead of
  // deadlocking. Holding it, each statement below sees every fact of the
  // branch that an earlier tail committed: a void finds its sale's lines even
  // when a sale and its void arrive in two transactions at once, and a till's
  // sequence state is read and written without a lost update.
  const branches = [...new Set(tills.map((x) => x.branch))].sort();
  await tx.query('SELECT code FROM branches WHERE code = ANY($1::text[]) ORDER BY code FOR UPDATE', [branches]);

  if (touchedSales.length > 0) {
    await tx.query(
      `INSERT INTO stock_movements (ref_id, line_no, branch, product_id, quantity, reason, at)
       SELECT v.id, l.line_no, v.branch, l.product_id, l.quantity, 'void', v.voided_at
         FROM voids v JOIN sale_lines l ON l.sale_id = v.sale_id
        WHERE v.sale_id = ANY($1::uuid[])
       ON CONFLICT DO NOTHING`,
      [arrayLiteral(touchedSales, 'uuid')],
    );
  }

  if (customerSales.length > 0) await mergeCustomers(tx, customerSales);
  await trackSequences(tx, tills);
  return { batches: input.length, events, newEvents };
}

/**
 * Folds the customers of these sales into one row per mobile number, in one
 * statement: records made offline at two branches under the same number
 * become one customer, whose purchases are every sale with that number. It
 * keeps the earliest and latest sale and the newest name given, so a sale
 * delivered again or late changes nothing it should not. Numbers are taken in
 * order, so that two workers merging the same customers wait on each other
 * instead of deadlocking.
 */
async function mergeCustomers(tx: Queryable, saleIds: readonly string[]): Promise<void> {
  await tx.query(
    `INSERT INTO customers AS c (phone, name, first_sale_at, last_sale_at, first_branch)
     SELECT customer_phone,
            (array_agg(customer_name ORDER BY completed_at DESC) FILTER (WHERE customer_name IS NOT NULL))[1],
            min(completed_at), max(completed_at), (array_agg(branch ORDER BY completed_at))[1]
       FROM sales WHERE id = ANY($1::uuid[]) AND customer_phone IS NOT NULL
      GROUP BY customer_phone ORDER BY customer_phone
     ON CONFLICT (phone) DO UPDATE SET
       name = CASE WHEN excluded.name IS NOT NULL AND (c.name IS NULL OR excluded.last_sale_at >= c.last_sale_at)
                   THEN excluded.name ELSE c.name END,
       first_branch = CASE WHEN excluded.first_sale_at < c.first_sale_at THEN excluded.first_branch ELSE c.first_branch END,
       first_sale_at = least(c.first_sale_at, excluded.first_sale_at),
       last_sale_at = greatest(c.last_sale_at, excluded.last_sale_at),
       updated_at = now()`,
    [arrayLiteral(saleIds, 'uuid')],
  );
}

interface Written {
  readonly events: number;
  readonly newEvents: number;
  readonly touchedSales: readonly string[];
  readonly customerSales: readonly string[];
}

/**
 * The fast path, on a backend with COPY: nearly every receive is all new, so
 * its events go in by plain COPY inside a savepoint, and then its facts as
 * they were prepared. A duplicate anywhere fails the COPY whole (23505);
 * then this gives up (undefined) and the batches are read again.
 */
async function insertPrepared(tx: Queryable, input: readonly IngestInput[]): Promise<Written | undefined> {
  if (!tx.copyFrom) return undefined;
  const rows = input.map((x) => ('rows' in x ? x.rows : prepareRows(x.batch)));
  const events = rows.reduce((n, r) => n + r.events.rows, 0);
  await tx.query('SAVEPOINT new_events');
  try {
    await tx.copyFrom('till_events', EVENT_NAMES, copyStream(rows.map((r) => r.events.bytes)));
    await tx.query('RELEASE SAVEPOINT new_events');
  } catch (error) {
    if (sqlState(error) !== '23505') throw error;
    await tx.query('ROLLBACK TO SAVEPOINT new_events');
    return undefined;
  }
  const tables = Object.values(factBuffers(false));
  for (let t = 0; t < tables.length; t++) {
    const parts = rows.map((r) => r.facts[t]!).filter((p) => p.rows > 0);
    if (parts.length === 0) continue;
    const table = tables[t]!;
    await tx.copyFrom(
      table.table,
      table.cols.map((c) => c.name),
      copyStream(parts.map((p) => p.bytes)),
    );
  }
  return {
    events,
    newEvents: events,
    touchedSales: rows.flatMap((r) => r.touchedSales),
    customerSales: rows.flatMap((r) => r.customerSales),
  };
}

/**
 * The general path: the events by an upsert that tells which are new, and
 * only their facts. Only the same event id counts as a duplicate: another
 * event under a sequence the till already used (a reinstalled till starting
 * again at 1) fails loudly on the (branch, till, seq) key instead of being
 * dropped.
 */
async function insertReopened(tx: Queryable, input: readonly IngestInput[]): Promise<Written> {
  const verified = await Promise.all(
    input.map(async (x) => ('batch' in x ? x : { messageId: x.messageId, batch: await x.reopen() })),
  );
  const events = gateRows(verified).events;
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO till_events (id, branch, till_no, seq, type, at, batch_id)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::bigint[], $5::text[], $6::bigint[], $7::uuid[])
     ON CONFLICT (id) DO NOTHING
     RETURNING id`,
    events.data.map((values, i) => arrayLiteral(values, events.cols[i]!.type)),
  );
  const facts = factRows(verified, new Set(inserted.map((r) => r.id)), tx.copyFrom !== undefined);
  for (const buffer of Object.values(facts.tables)) await buffer.insertNew(tx);
  return {
    events: events.size,
    newEvents: inserted.length,
    touchedSales: facts.touchedSales,
    customerSales: facts.customerSales,
  };
}

async function trackSequences(
  tx: Queryable,
  tills: readonly { branch: string; till: number; ranges: SeqRange[]; deviceTime: number }[],
): Promise<void> {
  const branches = tills.map((x) => x.branch);
  const tillNos = tills.map((x) => x.till);
  const locked = await tx.query<{ branch: string; till_no: number; acked_seq: number; highest_seq: number }>(
    `SELECT t.branch, t.till_no, t.acked_seq, t.highest_seq
       FROM tills t JOIN unnest($1::text[], $2::int[]) AS u (branch, till_no)
         ON t.branch = u.branch AND t.till_no = u.till_no`,
    [branches, tillNos],
  );
  if (locked.length !== tills.length) {
    throw new Error(`ingest for unknown tills: asked ${tills.length}, found ${locked.length}`);
  }
  const gaps = await tx.query<{ branch: string; till_no: number; first_seq: number; last_seq: number }>(
    `SELECT m.branch, m.till_no, m.first_seq, m.last_seq
       FROM till_missing_ranges m JOIN unnest($1::text[], $2::int[]) AS u (branch, till_no)
         ON m.branch = u.branch AND m.till_no = u.till_no
      ORDER BY m.first_seq`,
    [branches, tillNos],
  );
  const states = new Map<string, SequenceState>();
  for (const row of locked) {
    states.set(tillKey(row.branch, row.till_no), { acked: row.acked_seq, highest: row.highest_seq, missing: [] });
  }
  for (const g of gaps) {
    const key = tillKey(g.branch, g.till_no);
    const s = states.get(key)!;
    states.set(key, { ...s, missing: [...s.missing, { first: g.first_seq, last: g.last_seq }] });
  }
  const next = new ColumnBuffer('till_missing_ranges', 'branch text, till_no int, first_seq bigint, last_seq bigint');
  const acked: number[] = [];
  const highest: number[] = [];
  const deviceTimes: number[] = [];
  for (const x of tills) {
    const state = applyReceived(states.get(tillKey(x.branch, x.till))!, x.ranges);
    for (const m of state.missing) next.push(x.branch, x.till, m.first, m.last);
    acked.push(state.acked);
    highest.push(state.highest);
    deviceTimes.push(x.deviceTime);
  }
  await tx.query(
    `DELETE FROM till_missing_ranges m USING unnest($1::text[], $2::int[]) AS u (branch, till_no)
      WHERE m.branch = u.branch AND m.till_no = u.till_no`,
    [branches, tillNos],
  );
  await next.insert(tx);
  await tx.query(
    `UPDATE tills t SET acked_seq = u.acked, highest_seq = u.highest, last_ingest_at = now(),
            last_device_time = greatest(t.last_device_time, u.device_time)
       FROM unnest($1::text[], $2::int[], $3::bigint[], $4::bigint[], $5::bigint[])
            AS u (branch, till_no, acked, highest, device_time)
      WHERE t.branch = u.branch AND t.till_no = u.till_no`,
    [branches, tillNos, acked, highest, deviceTimes],
  );
}
