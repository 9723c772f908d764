import { describe, expect, it } from 'vitest';
import { PAYMENT_METHODS } from '../../shared/tender';
import { CATALOG, problemText, translate } from './messages';

describe('the message catalogue', () => {
  it('has every label in both languages, with the same placeholders', () => {
    for (const [key, en] of Object.entries(CATALOG.en)) {
      const bn = CATALOG.bn[key as keyof typeof CATALOG.bn];
      expect(en.trim(), key).not.toBe('');
      expect(bn.trim(), key).not.toBe('');
      const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(holes(bn), key).toEqual(holes(en));
    }
  });

  it('names every payment method differently (Bangla নগদ is also the word for cash)', () => {
    for (const lang of ['en', 'bn'] as const) {
      const names = PAYMENT_METHODS.map((m) => translate(lang, `tender.${m}`));
      expect(new Set(names).size, lang).toBe(names.length);
    }
  });

  it('fills placeholders, and says a refusal in Bangla when it knows it, else in the till’s words', () => {
    expect(translate('en', 'qty.title', { name: 'Rice' })).toBe('Quantity for Rice');
    expect(problemText('bn', { code: 'wrong-pin', reason: 'That PIN does not match.' })).toBe('পিন মেলেনি।');
    expect(problemText('bn', { code: 'something-new', reason: 'Plain words.' })).toBe('Plain words.');
    expect(problemText('en', { code: 'wrong-pin', reason: 'That PIN does not match.' })).toBe(
      'That PIN does not match.',
    );
  });
});
