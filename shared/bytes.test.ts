import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Decode, base64Encode, utf8Decode, utf8Encode } from './bytes';

describe('base64', () => {
  it('matches Node for any bytes and decodes back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = base64Encode(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(base64Decode(text)).toEqual(bytes);
      }),
    );
  });

  it('refuses what is not strict base64', () => {
    for (const bad of ['abc', 'ab=c', '@@@@', 'YQ=a', 'Y===', 'YWJj\n']) expect(base64Decode(bad)).toBeNull();
  });
});

it('round-trips UTF-8, Bangla included, and refuses invalid bytes', () => {
  expect(utf8Decode(utf8Encode('চাল ১ কেজি'))).toBe('চাল ১ কেজি');
  expect(() => utf8Decode(new Uint8Array([0xff, 0xfe]))).toThrow();
});
