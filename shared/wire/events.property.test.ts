import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acceptedBatch, parseBatch } from './batch';
import { acceptsEvent, EVENT_TYPES, parseEvent, type EventType } from './events';

const CASHIER = '0190a000-0000-4000-8000-000000000001';
const MANAGER = '0190a000-0000-4000-8000-000000000002';
const PRODUCT = '0190b000-0000-4000-8000-000000000003';
const SALE = '019aa3f0-1a2b-7c3d-8e4f-000000000001';
const SHIFT = '019aa3f0-1a2b-7c3d-8e4f-000000000002';
const AT = 1_763_900_000_000;

const z = {
  salesCount: 3,
  subtotal: 57_000,
  discountTotal: 0,
  vatTotal: 3978,
  netSales: 57_000,
  salesByMethod: { cash: 38_000, card: 19_000, bkash: 0, nagad: 0 },
  voidsCount: 0,
  voidsTotal: 0,
  refundsCount: 0,
  refundsTotal: 0,
  refundsByMethod: { cash: 0, card: 0, bkash: 0, nagad: 0 },
  openingFloat: 200_000,
  cashIn: 38_000,
  cashOut: 0,
  expectedCash: 238_000,
  countedCash: 238_000,
  difference: 0,
};

/** One valid event of each kind, as a till records them. */
const PAYLOADS: Record<EventType, Record<string, unknown>> = {
  'sale.completed': {
    saleId: SALE,
    receiptNo: 'DHK01-2-000123',
    shiftId: SHIFT,
    cashierId: CASHIER,
    startedAt: AT - 10_000,
    completedAt: AT,
    lines: [1, 2, 3].map((lineNo) => ({
      lineNo,
      productId: PRODUCT,
      barcode: lineNo === 3 ? null : '8941100500019',
      nameEn: 'Rupchanda Soybean Oil 1L',
      nameBn: 'রূপচাঁদা সয়াবিন তেল ১ লিটার',
      unit: lineNo === 2 ? 'kg' : 'piece',
      quantity: 1000,
      unitPrice: 19_000,
      vatRate: 750,
      vatMode: 'inclusive',
      gross: 19_000,
      lineDiscount: lineNo === 1 ? 1000 : 0,
      cartDiscountShare: 0,
      net: 19_000,
      vat: 1326,
      discountApprovedBy: lineNo === 1 ? MANAGER : null,
    })),
    subtotal: 57_000,
    cartDiscount: 0,
    cartDiscountApprovedBy: null,
    discountTotal: 1000,
    vatTotal: 3978,
    total: 56_000,
    payments: [
      { method: 'cash', amount: 40_000, reference: null },
      { method: 'bkash', amount: 16_000, reference: 'TRX12345678' },
    ],
    cashReceived: 40_000,
    change: 0,
  },
  'sale.voided': {
    voidId: '019aa3f0-1a2b-7c3d-8e4f-000000000003',
    saleId: SALE,
    receiptNo: 'DHK01-2-000123',
    shiftId: SHIFT,
    cashierId: CASHIER,
    managerId: MANAGER,
    reason: 'Scanned the wrong basket',
    voidedAt: AT,
  },
  'sale.refunded': {
    refundId: '019aa3f0-1a2b-7c3d-8e4f-000000000004',
    saleId: SALE,
    receiptNo: 'DHK01-2-000123',
    shiftId: SHIFT,
    cashierId: CASHIER,
    managerId: MANAGER,
    method: 'card',
    reference: 'AB12',
    lines: [{ lineNo: 1, productId: PRODUCT, quantity: 1000, amount: 19_000, vat: 1326 }],
    total: 19_000,
    vatTotal: 1326,
    reason: 'Damaged',
    refundedAt: AT,
  },
  'shift.opened': { shiftId: SHIFT, cashierId: CASHIER, openingFloat: 200_000, openedAt: AT },
  'shift.closed': {
    shiftId: SHIFT,
    cashierId: CASHIER,
    closedBy: MANAGER,
    openedAt: AT - 3_600_000,
    closedAt: AT,
    denominations: { '1000': 2, '500': 1 },
    z,
  },
  'till.offline': {
    periodId: '019aa3f0-1a2b-7c3d-8e4f-000000000006',
    cause: 'network',
    startedAt: AT,
    by: null,
    detail: 'head office did not answer in 10 s',
  },
  'till.online': { periodId: '019aa3f0-1a2b-7c3d-8e4f-000000000006', cause: 'manual', endedAt: AT, by: MANAGER },
};

function event(type: EventType): Record<string, unknown> {
  return { seq: 7, id: '019aa3f0-1a2b-7c3d-8e4f-000000000005', type, v: 1, at: AT, payload: PAYLOADS[type] };
}

type Path = readonly (string | number)[];

/** Every place in a value that a mutation can change. */
function paths(value: unknown, at: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [at];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [at, ...keys.flatMap((k) => paths((value as Record<string | number, unknown>)[k], [...at, k]))];
}

const DELETE = Symbol('delete');

function mutate(value: unknown, path: Path, replacement: unknown): unknown {
  const copy = structuredClone(value);
  if (path.length === 0) return replacement === DELETE ? undefined : replacement;
  let parent = copy as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (replacement === DELETE) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

/** Values near the edges of what the schemas allow, and anything at all. */
const replacement = fc.oneof(
  fc.constantFrom(
    DELETE,
    null,
    undefined,
    0,
    -1,
    1,
    1.5,
    -0,
    Number.NaN,
    Infinity,
    2 ** 53,
    10_000,
    10_001,
    '',
    'x',
    'x'.repeat(201),
    'ক'.repeat(200),
    '😀'.repeat(120),
    'DHK01-2-000123',
    'dhk01-2-000123',
    SALE,
    SALE.toUpperCase(),
    CASHIER,
    'piece',
    'cash',
    'sale.completed',
    [],
    {},
  ),
  fc.anything(),
);

describe('acceptsEvent', () => {
  it.each(EVENT_TYPES.filter((t) => t !== 'shift.closed'))('vouches for a valid %s event', (type) => {
    expect(parseEvent(event(type)).ok).toBe(true);
    expect(acceptsEvent(event(type))).toBe(true);
  });

  it('leaves a shift close, whose records it does not know, to parseEvent', () => {
    expect(parseEvent(event('shift.closed')).ok).toBe(true);
    expect(acceptsEvent(event('shift.closed'))).toBe(false);
  });

  it('never accepts an event that parseEvent rejects', () => {
    const cases = EVENT_TYPES.flatMap((type) => paths(event(type)).map((path) => ({ type, path })));
    let rejected = 0;
    fc.assert(
      fc.property(fc.constantFrom(...cases), replacement, ({ type, path }, r) => {
        const mutated = mutate(event(type), path, r);
        const parsed = parseEvent(mutated);
        if (!parsed.ok) rejected += 1;
        if (acceptsEvent(mutated)) expect(parsed.ok, `${type} at ${path.join('.')}`).toBe(true);
      }),
      { numRuns: 5000 },
    );
    // The mutations must really probe the schemas, not only harmless places.
    expect(rejected).toBeGreaterThan(2500);
  });
});

/** A batch of one event of each kind the predicates know, sequences from 7. */
function batch(): Record<string, unknown> {
  const events = EVENT_TYPES.filter((t) => t !== 'shift.closed').map((type, i) => ({ ...event(type), seq: 7 + i }));
  return {
    type: 'sales-batch',
    v: 1,
    id: '019aa3f0-1a2b-7c3d-8e4f-000000000006',
    branch: 'DHK01',
    till: 2,
    firstSeq: 7,
    lastSeq: 6 + events.length,
    deviceTime: AT,
    events,
  };
}

describe('acceptedBatch', () => {
  it('vouches for a valid batch, and gives what parseBatch gives', () => {
    const parsed = parseBatch(batch());
    expect(parsed.ok).toBe(true);
    expect(acceptedBatch(batch())).toEqual(parsed.ok && parsed.value);
  });

  it('leaves a batch with a shift close to parseBatch', () => {
    const withClose = batch();
    const next = (withClose.lastSeq as number) + 1;
    withClose.lastSeq = next;
    (withClose.events as unknown[]).push({ ...event('shift.closed'), seq: next });
    expect(parseBatch(withClose).ok).toBe(true);
    expect(acceptedBatch(withClose)).toBeUndefined();
  });

  it('never accepts a batch that parseBatch rejects, and then agrees with its value', () => {
    const cases = paths(batch());
    let rejected = 0;
    fc.assert(
      fc.property(fc.constantFrom(...cases), replacement, (path, r) => {
        const mutated = mutate(batch(), path, r);
        const parsed = parseBatch(mutated);
        if (!parsed.ok) rejected += 1;
        const accepted = acceptedBatch(mutated);
        if (accepted) expect(parsed, path.join('.')).toEqual({ ok: true, value: accepted });
      }),
      { numRuns: 5000 },
    );
    expect(rejected).toBeGreaterThan(2500);
  });
});
