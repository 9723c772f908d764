import { describe, expect, it } from 'vitest';
import { formatBdMobile, maskBdMobile, normalizeBdMobile } from './phone';

describe('normalizeBdMobile', () => {
  it.each([
    ['01712345678', '+8801712345678'],
    ['8801712345678', '+8801712345678'],
    ['+8801712345678', '+8801712345678'],
    ['+880 1712-345678', '+8801712345678'],
    [' 019 1234 5678 ', '+8801912345678'],
    ['(013) 1234.5678', '+8801312345678'],
  ])('reads %s as %s', (input, normal) => {
    expect(normalizeBdMobile(input)).toEqual({ ok: true, value: normal });
  });

  it.each([
    ['', 'Enter'],
    ['0171234567', '11 digits'],
    ['017123456789', '11 digits'],
    ['01212345678', '013 to 019'],
    ['01012345678', '013 to 019'],
    ['+8811712345678', '11 digits'],
    ['0171234567a', '11 digits'],
    ['+88001712345678', '11 digits'],
  ])('refuses %j, naming the field and why', (input, reason) => {
    const r = normalizeBdMobile(input, 'customer.phone');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid-phone');
    expect(r.error.field).toBe('customer.phone');
    expect(r.error.reason).toContain(reason);
  });

  it('writes a number back the local way', () => {
    expect(formatBdMobile('+8801712345678')).toBe('01712-345678');
    expect(maskBdMobile('+8801712345678')).toBe('01712-***678');
  });
});
