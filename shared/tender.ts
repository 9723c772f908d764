import { formatTaka } from './format';
import { type Poisha, poisha } from './money';
import { fail, ok, type Result } from './result';

export const PAYMENT_METHODS = ['cash', 'card', 'bkash', 'nagad'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/**
 * One tender. `reference` is the card terminal's approval code, or the
 * bKash/Nagad transaction id; cash has none.
 */
export interface Payment {
  readonly method: PaymentMethod;
  readonly amount: Poisha;
  readonly reference: string | null;
}

export const CARD_APPROVAL_PATTERN = /^[A-Z0-9]{4,12}$/;
export const MOBILE_TRX_PATTERN = /^[A-Z0-9]{8,20}$/;

export interface Settlement {
  readonly paid: Poisha;
  /** Cash handed over by the customer. */
  readonly cashReceived: Poisha;
  /** Cash handed back. Only cash gives change. */
  readonly change: Poisha;
}

/** Checks one payment on its own: a positive amount and the right reference. */
export function checkPayment(p: Payment, field: string): Result<Payment> {
  if (!Number.isSafeInteger(p.amount) || p.amount <= 0) {
    return fail('invalid-amount', `${field}.amount`, 'A payment must be more than ৳0.00.');
  }
  switch (p.method) {
    case 'cash':
      return ok({ ...p, reference: null });
    case 'card': {
      const code = (p.reference ?? '').trim().toUpperCase();
      if (!CARD_APPROVAL_PATTERN.test(code)) {
        return fail(
          'invalid-reference',
          `${field}.reference`,
          'Enter the approval code from the card terminal (4–12 letters or digits).',
        );
      }
      return ok({ ...p, reference: code });
    }
    case 'bkash':
    case 'nagad': {
      const trx = (p.reference ?? '').trim().toUpperCase();
      if (!MOBILE_TRX_PATTERN.test(trx)) {
        return fail(
          'invalid-reference',
          `${field}.reference`,
          `Enter the ${p.method === 'bkash' ? 'bKash' : 'Nagad'} transaction id (8–20 letters or digits).`,
        );
      }
      return ok({ ...p, reference: trx });
    }
    default:
      return fail(
        'invalid-method',
        `${field}.method`,
        `Unknown payment method "${String((p as { method: unknown }).method)}".`,
      );
  }
}

/**
 * Settles payments against a total. Card and mobile money are charged exactly
 * and never give change, so together they may not exceed the total; cash may
 * exceed what is left, and the excess is the change.
 */
export function settle(total: Poisha, payments: readonly Payment[]): Result<Settlement> {
  let paid = 0;
  let cash = 0;
  let nonCash = 0;
  for (const [i, p] of payments.entries()) {
    const checked = checkPayment(p, `payments[${i}]`);
    if (!checked.ok) return checked;
    paid += p.amount;
    if (p.method === 'cash') cash += p.amount;
    else nonCash += p.amount;
    if (nonCash > total) {
      return fail(
        'non-cash-over-total',
        `payments[${i}].amount`,
        'Card and mobile payments cannot be more than the amount due; only cash gives change.',
      );
    }
  }
  if (paid < total) {
    return fail(
      'tender-short',
      'payments',
      `Payments are ${formatTaka(poisha(total - paid))} short of the total ${formatTaka(total)}.`,
    );
  }
  const change = paid - total;
  return ok({ paid: poisha(paid), cashReceived: poisha(cash), change: poisha(change) });
}
