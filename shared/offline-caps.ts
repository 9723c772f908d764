import { formatTaka } from './format';
import { type Poisha, poisha, taka } from './money';
import type { BranchSettings } from './settings';
import type { Payment, PaymentMethod } from './tender';

/** The tenders an offline till cannot check: card against the bank, bKash and Nagad against the wallet. */
export type CappedTender = 'card' | 'mobile';

export function cappedTender(method: PaymentMethod): CappedTender | null {
  if (method === 'card') return 'card';
  if (method === 'bkash' || method === 'nagad') return 'mobile';
  return null;
}

export interface OfflineTenders {
  readonly card: Poisha;
  readonly mobile: Poisha;
}

export const NO_OFFLINE_TENDERS: OfflineTenders = { card: poisha(0), mobile: poisha(0) };

export function offlineTenders(payments: readonly Pick<Payment, 'method' | 'amount'>[]): OfflineTenders {
  let card = 0;
  let mobile = 0;
  for (const p of payments) {
    const kind = cappedTender(p.method);
    if (kind === 'card') card += p.amount;
    else if (kind === 'mobile') mobile += p.amount;
  }
  return { card: poisha(card), mobile: poisha(mobile) };
}

export interface OfflineCapBreach {
  readonly tender: CappedTender;
  readonly scope: 'sale' | 'day';
  readonly cap: Poisha;
  /** What this sale would bring the total to: the sale's own, or the till's day with it. */
  readonly amount: Poisha;
}

function cap(value: number | null): Poisha | null {
  return value === null ? null : taka(value);
}

/**
 * The first cap these payments break, taken offline on a till that has
 * already taken `today` offline this business day; null when they fit.
 */
export function offlineCapBreach(
  settings: BranchSettings,
  payments: readonly Pick<Payment, 'method' | 'amount'>[],
  today: OfflineTenders,
): OfflineCapBreach | null {
  const sale = offlineTenders(payments);
  const checks: readonly [CappedTender, 'sale' | 'day', Poisha | null, number][] = [
    ['card', 'sale', cap(settings.offlineCardPerSaleTaka), sale.card],
    ['card', 'day', cap(settings.offlineCardPerDayTaka), today.card + sale.card],
    ['mobile', 'sale', cap(settings.offlineMobilePerSaleTaka), sale.mobile],
    ['mobile', 'day', cap(settings.offlineMobilePerDayTaka), today.mobile + sale.mobile],
  ];
  for (const [tender, scope, limit, amount] of checks) {
    const own = tender === 'card' ? sale.card : sale.mobile;
    if (limit !== null && own > 0 && amount > limit) return { tender, scope, cap: limit, amount: poisha(amount) };
  }
  return null;
}

/** The sentence a cashier reads when a cap is reached. */
export function describeBreach(b: OfflineCapBreach): string {
  const what = b.tender === 'card' ? 'Card' : 'bKash and Nagad';
  const where = b.scope === 'sale' ? 'per sale' : 'per day on this till';
  return `The till is offline: ${what} payments are capped at ${formatTaka(b.cap)} ${where} (this makes ${formatTaka(b.amount)}). Take cash, or a manager's PIN.`;
}
