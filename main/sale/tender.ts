import { poisha } from '../../shared/money';
import { fail, ok, type Result } from '../../shared/result';
import { amountPaid, priceDraft, type SaleDraft } from '../../shared/sale-draft';
import { describeBreach, offlineCapBreach } from '../../shared/offline-caps';
import { checkPayment, PAYMENT_METHODS, type PaymentMethod } from '../../shared/tender';
import type { TillDeps } from '../deps';
import { approveByManager } from '../staff/login';
import { offlineTendersOnDay } from '../store/customers';
import { getBranchSettings } from '../store/till';

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
  // A manager approved the tenders as they were; changed ones need asking again.
  return ok({ ...draft, payments: draft.payments.filter((_, i) => i !== input.index), tenderApprovedBy: null });
}

/**
 * Whether the sale's card and mobile-money tenders fit the branch's offline
 * caps, with what this till already took offline today. Online, or with a
 * manager's approval on the sale, they always do.
 */
export function withinOfflineCaps(
  deps: Pick<TillDeps, 'db' | 'now'>,
  draft: SaleDraft,
  offline: boolean,
  field = 'payments',
): Result<true> {
  if (!offline || draft.tenderApprovedBy) return ok(true);
  if (draft.payments.every((p) => p.method === 'cash')) return ok(true);
  const breach = offlineCapBreach(getBranchSettings(deps.db), draft.payments, offlineTendersOnDay(deps.db, deps.now()));
  return breach ? fail('offline-cap-exceeded', field, describeBreach(breach)) : ok(true);
}

/**
 * Adds a tender on a till that may be offline. Card or mobile money over the
 * branch's offline caps is refused unless a manager's PIN comes with it; the
 * manager is recorded on the sale and travels to head office.
 */
export function addPaymentWithinCaps(
  deps: Pick<TillDeps, 'db' | 'now'>,
  draft: SaleDraft,
  input: PaymentInput & { readonly managerPin?: string },
  offline: boolean,
): Result<SaleDraft> {
  const added = addPayment(draft, input);
  if (!added.ok) return added;
  const within = withinOfflineCaps(deps, added.value, offline, 'amount');
  if (within.ok) return added;
  if (!input.managerPin) return within;
  const manager = approveByManager(deps, input.managerPin);
  if (!manager.ok) return manager;
  return ok({ ...added.value, tenderApprovedBy: manager.value.id });
}
