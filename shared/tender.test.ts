import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { poisha } from './money';
import { type Payment, settle } from './tender';

const cash = (amount: number): Payment => ({ method: 'cash', amount: poisha(amount), reference: null });
const card = (amount: number, reference: string | null = 'A1B2C3'): Payment => ({
  method: 'card',
  amount: poisha(amount),
  reference,
});

describe('settle', () => {
  it('gives change from cash only', () => {
    const r = settle(poisha(35_500), [cash(50_000)]);
    expect(r).toEqual({ ok: true, value: { paid: 50_000, cashReceived: 50_000, change: 14_500 } });
  });

  it('takes split tenders', () => {
    const r = settle(poisha(55_900), [
      card(30_000),
      { method: 'bkash', amount: poisha(20_000), reference: 'bk7h3k9q2m' },
      cash(10_000),
    ]);
    expect(r.ok && r.value.change).toBe(4_100);
  });

  it('refuses a short tender, naming the shortfall', () => {
    const r = settle(poisha(54_199), [cash(54_000)]);
    expect(r).toMatchObject({ ok: false, error: { code: 'tender-short', field: 'payments' } });
    expect(!r.ok && r.error.reason).toContain('৳1.99');
  });

  it('refuses card or mobile money above the total', () => {
    expect(settle(poisha(1000), [card(1001)])).toMatchObject({
      ok: false,
      error: { code: 'non-cash-over-total', field: 'payments[0].amount' },
    });
  });

  it('needs a card approval code and a mobile transaction id', () => {
    expect(settle(poisha(1000), [card(1000, null)])).toMatchObject({
      ok: false,
      error: { code: 'invalid-reference', field: 'payments[0].reference' },
    });
    expect(settle(poisha(1000), [{ method: 'nagad', amount: poisha(1000), reference: 'x' }])).toMatchObject({
      ok: false,
      error: { code: 'invalid-reference', field: 'payments[0].reference' },
    });
  });

  it('refuses zero or negative payments', () => {
    expect(settle(poisha(0), [cash(0)])).toMatchObject({
      ok: false,
      error: { code: 'invalid-amount', field: 'payments[0].amount' },
    });
    expect(settle(poisha(0), [cash(-5)])).toMatchObject({ ok: false, error: { code: 'invalid-amount' } });
  });

  it('balances: paid = total + change, and change never exceeds cash', () => {
    fc.assert(
      fc.property(
        fc.nat(1_000_000),
        fc.array(fc.record({ cash: fc.boolean(), amount: fc.integer({ min: 1, max: 500_000 }) }), { maxLength: 5 }),
        (total, tenders) => {
          const r = settle(
            poisha(total),
            tenders.map((t) => (t.cash ? cash(t.amount) : card(t.amount))),
          );
          if (r.ok) {
            expect(r.value.paid).toBe(total + r.value.change);
            expect(r.value.change).toBeLessThanOrEqual(r.value.cashReceived);
            expect(r.value.change).toBeGreaterThanOrEqual(0);
          }
        },
      ),
    );
  });
});
