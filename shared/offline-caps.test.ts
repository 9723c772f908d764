import { describe, expect, it } from 'vitest';
import { poisha, taka } from './money';
import { describeBreach, NO_OFFLINE_TENDERS, offlineCapBreach, offlineTenders } from './offline-caps';
import { DEFAULT_BRANCH_SETTINGS } from './settings';

const capped = {
  ...DEFAULT_BRANCH_SETTINGS,
  offlineCardPerSaleTaka: 5000,
  offlineCardPerDayTaka: 20_000,
  offlineMobilePerSaleTaka: 2000,
  offlineMobilePerDayTaka: null,
};
const card = (t: number) => ({ method: 'card' as const, amount: taka(t) });
const bkash = (t: number) => ({ method: 'bkash' as const, amount: taka(t) });
const cash = (t: number) => ({ method: 'cash' as const, amount: taka(t) });

describe('offline tender caps', () => {
  it('sums card apart from bKash and Nagad, and leaves cash out', () => {
    expect(offlineTenders([card(10), bkash(5), { method: 'nagad', amount: taka(2) }, cash(100)])).toEqual({
      card: taka(10),
      mobile: taka(7),
    });
  });

  it('has no caps by default', () => {
    expect(offlineCapBreach(DEFAULT_BRANCH_SETTINGS, [card(1_000_000)], NO_OFFLINE_TENDERS)).toBeNull();
  });

  it('allows a sale exactly at the cap and refuses one poisha more', () => {
    expect(offlineCapBreach(capped, [card(5000)], NO_OFFLINE_TENDERS)).toBeNull();
    expect(
      offlineCapBreach(capped, [card(4000), { method: 'card', amount: poisha(100_001) }], NO_OFFLINE_TENDERS),
    ).toEqual({ tender: 'card', scope: 'sale', cap: taka(5000), amount: poisha(500_001) });
  });

  it('counts what the till already took offline today against the day cap', () => {
    const today = { card: taka(18_000), mobile: taka(100_000) };
    expect(offlineCapBreach(capped, [card(2000)], today)).toBeNull();
    expect(offlineCapBreach(capped, [card(2001)], today)).toMatchObject({ tender: 'card', scope: 'day' });
    // No day cap on mobile money here, and a cash sale never breaks a cap however much was taken.
    expect(offlineCapBreach(capped, [bkash(1500)], today)).toBeNull();
    expect(offlineCapBreach(capped, [cash(90_000)], { card: taka(50_000), mobile: taka(0) })).toBeNull();
  });

  it('checks mobile money on its own caps', () => {
    const b = offlineCapBreach(capped, [bkash(1500), { method: 'nagad', amount: taka(600) }], NO_OFFLINE_TENDERS);
    expect(b).toEqual({ tender: 'mobile', scope: 'sale', cap: taka(2000), amount: taka(2100) });
    expect(describeBreach(b!)).toBe(
      "The till is offline: bKash and Nagad payments are capped at ৳2,000.00 per sale (this makes ৳2,100.00). Take cash, or a manager's PIN.",
    );
  });
});
