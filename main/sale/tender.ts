import { poisha } from '../../shared/money';
import { fail, ok, type Result } from '../../shared/result';
import { amountPaid, priceDraft, type SaleDraft } from '../../shared/sale-draft';
import { checkPayment, PAYMENT_METHODS, type PaymentMethod } from '../../shared/tender';

export interface PaymentInput {
  readonly method: PaymentMethod;
  readonly amount: number;
  readonly reference?: string | null;
}

/**
 * Adds a tender. Card and mobile money are capped at what is still due (they
 * never give change); cash may be more, and the rest is change.
 */
export function addPayment(draft: SaleDraft, input: PaymentInput): Result<SaleDraft> {
  if (!PAYMENT_METHODS.includes(input.method)) {
    return fail('invalid-method', 'method', `Choose one of ${PAYMENT_METHODS.join(', ')}.`);
  }
  if (draft.lines.length === 0) return fail('empty-sale', 'lines', 'Add an item before taking payment.');
  if (!Number.isSafeInteger(input.amount)) return fail('invalid-amount', 'amount', 'Enter the amount in whole poisha.');
  const checked = checkPayment(
    { method: input.method, amount: poisha(input.amount), reference: input.reference ?? null },
    'payment',
  );
  if (!checked.ok)
    return { ok: false, error: { ...checked.error, field: checked.error.field.replace(/^payment\./, '') } };
  const due = priceDraft(draft).total - amountPaid(draft);
  if (due <= 0) return fail('already-paid', 'amount', 'The sale is already paid in full.');
  if (input.method !== 'cash' && input.amount > due) {
    return fail(
      'non-cash-over-total',
      'amount',
      'Card and mobile payments cannot be more than the amount due; only cash gives change.',
    );
  }
  return ok({ ...draft, payments: [...draft.payments, checked.value] });
}

export function removePayment(draft: SaleDraft, input: { index: number }): Result<SaleDraft> {
  if (!Number.isInteger(input.index) || input.index < 0 || input.index >= draft.payments.length) {
    return fail('unknown-payment', 'index', 'There is no such payment on this sale.');
  }
  return ok({ ...draft, payments: draft.payments.filter((_, i) => i !== input.index) });
}
