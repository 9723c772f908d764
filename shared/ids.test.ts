import { describe, expect, it } from 'vitest';
import { createIdFactory, isUuidV7 } from './ids';
import { formatReceiptNo, normalizeReceiptNo, parseReceiptNo } from './receipt';
import { createUuidV7, pooledRandomBytes, uuidV7Time } from './uuid';
import type { BranchCode } from './ids';

describe('UUIDv7', () => {
  it('carries the time and the version and variant bits', () => {
    const next = createUuidV7(() => 1_763_900_000_000);
    const id = next();
    expect(isUuidV7(id)).toBe(true);
    expect(uuidV7Time(id)).toBe(1_763_900_000_000);
  });

  it('is strictly increasing even when the clock stands still or steps back', () => {
    let t = 1_763_900_000_000;
    const times = [0, 0, 0, -5000, 1, 1, -1];
    const next = createUuidV7(() => t);
    let previous = next();
    for (let i = 0; i < 20_000; i++) {
      t += times[i % times.length] ?? 0;
      const id = next();
      expect(id > previous, `${id} > ${previous}`).toBe(true);
      previous = id;
    }
  });

  it('does not repeat across factories', () => {
    const ids = new Set<string>();
    for (let f = 0; f < 20; f++) {
      const factory = createIdFactory(() => 1_763_900_000_000);
      for (let i = 0; i < 500; i++) ids.add(factory.sale());
    }
    expect(ids.size).toBe(10_000);
  });
});

describe('pooled random bytes', () => {
  it('hands out each byte of the pool once, refilling it when it runs out', () => {
    let fills = 0;
    const random = pooledRandomBytes((pool) => {
      fills += 1;
      pool.forEach((_, i) => (pool[i] = (fills * 31 + i) & 0xff));
    }, 64);
    const first = random(16);
    expect(fills).toBe(1);
    first.fill(0);
    const rest = [random(16), random(16), random(16)];
    expect(fills).toBe(1);
    expect(rest.map((b) => b[0])).toEqual([(31 + 16) & 0xff, (31 + 32) & 0xff, (31 + 48) & 0xff]);
    expect(random(16)[0]).toBe(62);
    expect(fills).toBe(2);
    expect(random(100)).toHaveLength(100);
  });
});

describe('receipt numbers', () => {
  const branch = 'DHK01' as BranchCode;

  it('are branch-till-sequence, zero padded to six', () => {
    expect(formatReceiptNo({ branch, till: 2, seq: 123 })).toBe('DHK01-2-000123');
    expect(formatReceiptNo({ branch, till: 12, seq: 1_234_567 })).toBe('DHK01-12-1234567');
  });

  it('round-trip and accept what a cashier types', () => {
    expect(parseReceiptNo('DHK01-2-000123')).toEqual({ branch: 'DHK01', till: 2, seq: 123 });
    expect(normalizeReceiptNo(' dhk01-2-000123 ')).toBe('DHK01-2-000123');
  });

  it('reject malformed numbers', () => {
    for (const bad of [
      '',
      'DHK01-2-123',
      'DHK01-0-000001',
      'DHK01-2-000000',
      'dhk',
      '1DHK-2-000001',
      'DHK01-100-000001',
      'DHK01-2-0001234',
    ]) {
      expect(parseReceiptNo(bad), bad).toBeNull();
    }
    expect(() => formatReceiptNo({ branch, till: 0, seq: 1 })).toThrow(/till/);
    expect(() => formatReceiptNo({ branch, till: 1, seq: 0 })).toThrow(/sequence/);
  });
});
