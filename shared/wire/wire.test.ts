import { describe, expect, it } from 'vitest';
import { createUuidV7 } from '../uuid';
import { parseBatch } from './batch';
import { acceptsEvent, parseEvent } from './events';

const nextId = createUuidV7(() => 1_763_900_000_000);
const CASHIER = '0190a000-0000-4000-8000-000000000001';
const PRODUCT = '0190b000-0000-4000-8000-000000000003';

function saleEvent(seq: number): Record<string, unknown> {
  return {
    seq,
    id: nextId(),
    type: 'sale.completed',
    v: 1,
    at: 1_763_900_000_000,
    payload: {
      saleId: nextId(),
      receiptNo: `DHK01-2-${String(seq).padStart(6, '0')}`,
      shiftId: nextId(),
      cashierId: CASHIER,
      startedAt: 1_763_899_990_000,
      completedAt: 1_763_900_000_000,
      lines: [
        {
          lineNo: 1,
          productId: PRODUCT,
          barcode: '8941100500019',
          nameEn: 'Rupchanda Soybean Oil 1L',
          nameBn: 'রূপচাঁদা সয়াবিন তেল ১ লিটার',
          unit: 'piece',
          quantity: 1000,
          unitPrice: 19_000,
          vatRate: 750,
          vatMode: 'inclusive',
          gross: 19_000,
          lineDiscount: 0,
          cartDiscountShare: 0,
          net: 19_000,
          vat: 1326,
          discountApprovedBy: null,
        },
      ],
      subtotal: 19_000,
      cartDiscount: 0,
      cartDiscountApprovedBy: null,
      discountTotal: 0,
      vatTotal: 1326,
      total: 19_000,
      payments: [{ method: 'cash', amount: 20_000, reference: null }],
      cashReceived: 20_000,
      change: 1000,
    },
  };
}

function batch(events: Record<string, unknown>[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'sales-batch',
    v: 1,
    id: nextId(),
    branch: 'DHK01',
    till: 2,
    firstSeq: events[0]?.seq,
    lastSeq: events.at(-1)?.seq,
    deviceTime: 1_763_900_000_000,
    events,
    ...extra,
  };
}

function withPayload(
  event: Record<string, unknown>,
  change: (p: Record<string, unknown>) => void,
): Record<string, unknown> {
  const copy = structuredClone(event) as { payload: Record<string, unknown> };
  change(copy.payload);
  return copy;
}

describe('events', () => {
  it('parse a valid sale', () => {
    const r = parseEvent(saleEvent(1));
    expect(r.ok).toBe(true);
  });

  it('reject an unknown version, saying so instead of listing fields', () => {
    const r = parseEvent({ ...saleEvent(1), v: 3, payload: { something: 'new' } });
    expect(r).toMatchObject({ ok: false, error: { code: 'unsupported-version', field: 'event.v' } });
    expect(!r.ok && r.error.reason).toMatch(
      /version 3 of "sale.completed" is not supported; this build reads version 1, 2/,
    );
  });

  it('read a version 1 sale as it was, and a version 2 sale with its customer and offline facts', () => {
    const v1 = parseEvent(saleEvent(1));
    expect(v1).toMatchObject({ ok: true, value: { v: 1 } });
    expect(v1.ok && v1.value.payload).not.toHaveProperty('customer');
    const v2 = {
      ...saleEvent(2),
      v: 2,
      payload: {
        ...(saleEvent(2).payload as object),
        customer: { phone: '+8801712345678', name: 'Rahima' },
        offline: true,
        tenderApprovedBy: CASHIER,
      },
    };
    expect(parseEvent(v2)).toMatchObject({
      ok: true,
      value: { v: 2, payload: { customer: { phone: '+8801712345678' }, offline: true } },
    });
    expect(acceptsEvent(v2)).toBe(true);
  });

  it('refuse a version 2 sale without its new fields, or with a phone not in the normal form', () => {
    expect(parseEvent({ ...saleEvent(1), v: 2 })).toMatchObject({
      ok: false,
      error: { field: 'event.payload.customer' },
    });
    const local = withPayload({ ...saleEvent(1), v: 2 }, (p) => {
      p.customer = { phone: '01712345678', name: null };
      p.offline = false;
      p.tenderApprovedBy = null;
    });
    expect(parseEvent(local)).toMatchObject({ ok: false, error: { field: 'event.payload.customer.phone' } });
    expect(acceptsEvent(local)).toBe(false);
  });

  it('reject an unknown event type', () => {
    expect(parseEvent({ ...saleEvent(1), type: 'sale.teleported' })).toMatchObject({
      ok: false,
      error: { code: 'unknown-event-type', field: 'event.type' },
    });
  });

  it.each([
    [
      'a float quantity',
      (p: Record<string, unknown>) => ((p.lines as Record<string, unknown>[])[0]!.quantity = 1.5),
      'event.payload.lines[0].quantity',
    ],
    ['a negative total', (p: Record<string, unknown>) => (p.total = -1), 'event.payload.total'],
    ['a bad receipt number', (p: Record<string, unknown>) => (p.receiptNo = 'hello'), 'event.payload.receiptNo'],
    [
      'a non-v7 sale id',
      (p: Record<string, unknown>) => (p.saleId = '0190a000-0000-4000-8000-000000000001'),
      'event.payload.saleId',
    ],
    [
      'a missing payment method',
      (p: Record<string, unknown>) => delete (p.payments as Record<string, unknown>[])[0]!.method,
      'event.payload.payments[0].method',
    ],
    [
      'a string amount',
      (p: Record<string, unknown>) => ((p.payments as Record<string, unknown>[])[0]!.amount = '200'),
      'event.payload.payments[0].amount',
    ],
    ['no lines', (p: Record<string, unknown>) => (p.lines = []), 'event.payload.lines'],
    [
      'an unknown unit',
      (p: Record<string, unknown>) => ((p.lines as Record<string, unknown>[])[0]!.unit = 'litre'),
      'event.payload.lines[0].unit',
    ],
  ])('reject %s, naming the field', (_name, change, field) => {
    const r = parseEvent(withPayload(saleEvent(1), change));
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-field', field } });
    expect(!r.ok && r.error.reason.length).toBeGreaterThan(3);
  });

  it('reject a non-object', () => {
    expect(parseEvent('hello').ok).toBe(false);
    expect(parseEvent(null).ok).toBe(false);
  });
});

describe('sales batch', () => {
  it('parses a contiguous run of events', () => {
    const r = parseBatch(batch([saleEvent(7), saleEvent(8), saleEvent(9)]));
    expect(r.ok && r.value.events.map((e) => e.seq)).toEqual([7, 8, 9]);
  });

  it('rejects an unknown batch version', () => {
    expect(parseBatch(batch([saleEvent(1)], { v: 3 }))).toMatchObject({
      ok: false,
      error: { code: 'unsupported-version', field: 'v' },
    });
  });

  it('rejects a range that does not match its events', () => {
    expect(parseBatch(batch([saleEvent(1), saleEvent(2)], { lastSeq: 3 }))).toMatchObject({
      ok: false,
      error: { code: 'invalid-range', field: 'events' },
    });
    expect(parseBatch(batch([saleEvent(2), saleEvent(1)], { firstSeq: 1, lastSeq: 2 }))).toMatchObject({
      ok: false,
      error: { code: 'invalid-range', field: 'events[0].seq' },
    });
    expect(parseBatch(batch([saleEvent(5)], { firstSeq: 5, lastSeq: 4 }))).toMatchObject({
      ok: false,
      error: { code: 'invalid-range', field: 'lastSeq' },
    });
  });

  it('names the field of a bad event inside the batch', () => {
    const bad = withPayload(saleEvent(2), (p) => (p.total = 'lots'));
    expect(parseBatch(batch([saleEvent(1), bad]))).toMatchObject({
      ok: false,
      error: { field: 'events[1].payload.total' },
    });
  });

  it('rejects bad envelope fields', () => {
    expect(parseBatch(batch([saleEvent(1)], { branch: 'dhaka' }))).toMatchObject({
      ok: false,
      error: { field: 'branch' },
    });
    expect(parseBatch(batch([saleEvent(1)], { till: 0 }))).toMatchObject({ ok: false, error: { field: 'till' } });
    expect(parseBatch(batch([], { firstSeq: 1, lastSeq: 1 }))).toMatchObject({ ok: false, error: { field: 'events' } });
    expect(parseBatch({})).toMatchObject({ ok: false });
  });
});
