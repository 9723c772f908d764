import { mulDivRound } from '../../shared/arith';
import { poisha } from '../../shared/money';
import { lineGross } from '../../shared/pricing';
import { fail, ok, type Result } from '../../shared/result';
import { type CartDiscount, discountBase, type SaleDraft } from '../../shared/sale-draft';
import type { StaffId } from '../../shared/ids';
import type { TillDeps } from '../deps';
import { approveByManager } from '../staff/login';
import { getBranchSettings } from '../store/till';

/** A discount as the cashier gives it: a taka amount or a percentage (basis points). */
export type DiscountInput =
  | { readonly amount: number; readonly managerPin?: string }
  | { readonly percentBps: number; readonly managerPin?: string };

function resolve(input: DiscountInput, base: number): Result<{ amount: number; bps: number | null }> {
  if ('percentBps' in input) {
    const bps = input.percentBps;
    if (!Number.isSafeInteger(bps) || bps < 0 || bps > 10_000) {
      return fail('invalid-discount', 'percentBps', 'A percentage discount is between 0 % and 100 %.');
    }
    return ok({ amount: mulDivRound(base, bps, 10_000), bps });
  }
  const amount = input.amount;
  if (!Number.isSafeInteger(amount) || amount < 0) {
    return fail('invalid-discount', 'amount', 'A discount is ৳0.00 or more, in whole poisha.');
  }
  if (amount > base) return fail('invalid-discount', 'amount', 'A discount cannot be more than what it applies to.');
  return ok({ amount, bps: null });
}

/**
 * Above the branch's limit a discount needs a manager's PIN; the approving
 * manager is recorded with it and travels to head office.
 */
function approval(
  deps: Pick<TillDeps, 'db' | 'now'>,
  amount: number,
  base: number,
  pin: string | undefined,
): Result<StaffId | null> {
  if (amount === 0) return ok(null);
  const limit = getBranchSettings(deps.db).maxDiscountWithoutManagerBps;
  // amount / base > limit / 10000, in integers.
  const overLimit = amount * 10_000 > base * limit;
  if (!overLimit && !pin) return ok(null);
  const manager = approveByManager(deps, pin);
  return manager.ok ? ok(manager.value.id) : manager;
}

export function setLineDiscount(
  deps: Pick<TillDeps, 'db' | 'now'>,
  draft: SaleDraft,
  input: DiscountInput & { readonly lineNo: number },
): Result<SaleDraft> {
  const line = draft.lines.find((l) => l.lineNo === input.lineNo);
  if (!line) return fail('unknown-line', 'lineNo', `There is no line ${String(input.lineNo)} in this sale.`);
  const gross = lineGross(line.unitPrice, line.quantity);
  const resolved = resolve(input, gross);
  if (!resolved.ok) return resolved;
  const approvedBy = approval(deps, resolved.value.amount, gross, input.managerPin);
  if (!approvedBy.ok) return approvedBy;
  const lines = draft.lines.map((l) =>
    l.lineNo === input.lineNo
      ? { ...l, lineDiscount: poisha(resolved.value.amount), discountApprovedBy: approvedBy.value }
      : l,
  );
  const next = { ...draft, lines };
  if (draft.cartDiscount?.kind === 'amount' && draft.cartDiscount.amount > discountBase(lines)) {
    return fail(
      'discount-exceeds-total',
      'amount',
      'With this line discount the cart discount would be more than the cart.',
    );
  }
  return ok(next);
}

export function setCartDiscount(
  deps: Pick<TillDeps, 'db' | 'now'>,
  draft: SaleDraft,
  input: DiscountInput,
): Result<SaleDraft> {
  const base = discountBase(draft.lines);
  const resolved = resolve(input, base);
  if (!resolved.ok) return resolved;
  const approvedBy = approval(deps, resolved.value.amount, base, input.managerPin);
  if (!approvedBy.ok) return approvedBy;
  let cartDiscount: CartDiscount | null = null;
  if (resolved.value.bps !== null && resolved.value.bps > 0)
    cartDiscount = { kind: 'percent', bps: resolved.value.bps };
  else if (resolved.value.amount > 0) cartDiscount = { kind: 'amount', amount: poisha(resolved.value.amount) };
  return ok({ ...draft, cartDiscount, cartDiscountApprovedBy: approvedBy.value });
}

/**
 * Whether a recorded discount is still within what its approval covers: an
 * amount discount on a cart that has since shrunk may have crossed the limit.
 */
export function discountsWithinApproval(deps: Pick<TillDeps, 'db' | 'now'>, draft: SaleDraft): Result<true> {
  // Without a discount there is nothing to approve, whatever the limit (it is
  // never negative), so most sales need not read and parse the settings.
  if (!draft.cartDiscount && draft.lines.every((l) => l.lineDiscount === 0)) return ok(true);
  const limit = getBranchSettings(deps.db).maxDiscountWithoutManagerBps;
  for (const l of draft.lines) {
    const gross = lineGross(l.unitPrice, l.quantity);
    if (l.lineDiscount * 10_000 > gross * limit && !l.discountApprovedBy) {
      return fail(
        'manager-approval-required',
        `lines[${l.lineNo}].discount`,
        `The discount on ${l.nameEn} needs a manager's PIN.`,
      );
    }
  }
  const d = draft.cartDiscount;
  if (d && !draft.cartDiscountApprovedBy) {
    const base = discountBase(draft.lines);
    const amount = d.kind === 'amount' ? d.amount : mulDivRound(base, d.bps, 10_000);
    if (amount * 10_000 > base * limit) {
      return fail('manager-approval-required', 'cartDiscount', "The cart discount needs a manager's PIN.");
    }
  }
  return ok(true);
}
