import { describe, expect, it } from 'vitest';
import { formatQuantity, formatTaka, groupLakh } from './format';
import { parseTaka, poisha, taka, toBanglaDigits, toLatinDigits } from './money';
import { milli, parseQuantity, qty, quantityFitsUnit } from './quantity';

describe('money', () => {
  it('is whole poisha only', () => {
    expect(taka(120)).toBe(12_000);
    expect(() => poisha(1.5)).toThrow(/whole number of poisha/);
    expect(() => taka(0.5)).toThrow(/whole taka/);
  });

  it('parses what people type', () => {
    expect(parseTaka('120')).toBe(12_000);
    expect(parseTaka('120.5')).toBe(12_050);
    expect(parseTaka('1,20,000.05')).toBe(12_000_005);
    expect(parseTaka('৳ 99')).toBe(9_900);
    expect(parseTaka('১২০.৫০')).toBe(12_050);
    expect(parseTaka('-3.25')).toBe(-325);
    expect(parseTaka('1.234')).toBeNull();
    expect(parseTaka('abc')).toBeNull();
    expect(parseTaka('')).toBeNull();
  });

  it('converts digits both ways', () => {
    expect(toBanglaDigits('2026-11-23')).toBe('২০২৬-১১-২৩');
    expect(toLatinDigits('২০২৬')).toBe('2026');
  });
});

describe('formatTaka', () => {
  it('groups in lakhs and crores', () => {
    expect(groupLakh('1')).toBe('1');
    expect(groupLakh('1000')).toBe('1,000');
    expect(groupLakh('100000')).toBe('1,00,000');
    expect(groupLakh('123456789')).toBe('12,34,56,789');
  });

  it('shows taka with two decimals and the sign in front', () => {
    expect(formatTaka(taka(123_456) + 50)).toBe('৳1,23,456.50');
    expect(formatTaka(poisha(5))).toBe('৳0.05');
    expect(formatTaka(poisha(-12_345))).toBe('-৳123.45');
    expect(formatTaka(poisha(0))).toBe('৳0.00');
    expect(formatTaka(taka(1000), { symbol: false })).toBe('1,000.00');
  });

  it('writes Bangla digits when asked', () => {
    expect(formatTaka(taka(123_456) + 50, { lang: 'bn' })).toBe('৳১,২৩,৪৫৬.৫০');
  });
});

describe('quantities', () => {
  it('are thousandths', () => {
    expect(qty(1.25)).toBe(1250);
    expect(qty(3)).toBe(3000);
    expect(parseQuantity('0.5')).toBe(500);
    expect(parseQuantity('2')).toBe(2000);
    expect(parseQuantity('1.2345')).toBeNull();
    expect(parseQuantity('-1')).toBeNull();
  });

  it('fit their unit', () => {
    expect(quantityFitsUnit(milli(1500), 'kg')).toBe(true);
    expect(quantityFitsUnit(milli(1500), 'piece')).toBe(false);
    expect(quantityFitsUnit(milli(2000), 'piece')).toBe(true);
  });

  it('format by unit', () => {
    expect(formatQuantity(milli(1250), 'kg')).toBe('1.250 kg');
    expect(formatQuantity(milli(3000), 'piece')).toBe('3');
    expect(formatQuantity(milli(1250), 'kg', { lang: 'bn' })).toBe('১.২৫০ কেজি');
  });
});
