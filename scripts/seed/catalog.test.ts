import { describe, expect, it } from 'vitest';
import { pulledProduct } from '../../shared/wire/pull';
import { grocerCatalog } from './catalog';

describe('the seed catalog', () => {
  const catalog = grocerCatalog();

  it('is what the pull API would send, and the same for the same seed', () => {
    expect(catalog).toHaveLength(2000);
    for (const p of catalog) expect(pulledProduct.parse(p)).toEqual(p);
    expect(grocerCatalog()).toEqual(catalog);
    expect(grocerCatalog({ seed: 7 })).not.toEqual(catalog);
  });

  it('never repeats an id, SKU, name or barcode', () => {
    const unique = (values: string[]) => new Set(values).size === values.length;
    expect(unique(catalog.map((p) => p.id))).toBe(true);
    expect(unique(catalog.map((p) => p.sku))).toBe(true);
    expect(unique(catalog.map((p) => p.nameEn))).toBe(true);
    expect(unique(catalog.flatMap((p) => p.barcodes))).toBe(true);
  });

  it('gives packaged goods valid EAN-13 codes with the Bangladesh prefix, and loose goods a scale code', () => {
    for (const p of catalog) {
      const [code] = p.barcodes;
      if (p.unit === 'kg') {
        expect(code).toMatch(/^2\d{4}$/);
        continue;
      }
      expect(code).toMatch(/^894\d{10}$/);
      const digits = [...code!].map(Number);
      const sum = digits.slice(0, 12).reduce((s, d, i) => s + d * (i % 2 === 0 ? 1 : 3), 0);
      expect((10 - (sum % 10)) % 10).toBe(digits[12]);
    }
  });

  it('prices like a shelf: whole taka, VAT exempt on fresh food, Bangla names with Bangla digits', () => {
    for (const p of catalog) {
      expect(p.price % 100).toBe(0);
      expect(p.price).toBeGreaterThan(0);
      expect(p.nameBn).toMatch(/[\u0980-\u09FF]/);
      expect(p.nameBn).not.toMatch(/[0-9]/);
    }
    const loose = catalog.filter((p) => p.unit === 'kg');
    expect(loose.length).toBeGreaterThan(30);
    expect(loose.every((p) => p.vatRate === 0)).toBe(true);
    expect(new Set(catalog.map((p) => p.category)).size).toBeGreaterThanOrEqual(12);
    expect(catalog.find((p) => p.nameEn === 'Pran Mango Juice 250ml')).toMatchObject({
      nameBn: 'প্রাণ আম জুস ২৫০ মিলি',
      vatRate: 1500,
    });
  });

  it('stops at the size asked for', () => {
    expect(grocerCatalog({ size: 10 })).toHaveLength(10);
    expect(grocerCatalog({ size: 5000 })).toHaveLength(5000);
  });
});
