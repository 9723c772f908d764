import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProductId } from '../../shared/ids';
import { poisha } from '../../shared/money';
import { PRODUCTS, tempTill, type TempTill } from '../testing/fixtures';
import { findByBarcode, getProduct, type Product, SEARCH_CANDIDATES, searchProducts, upsertProduct } from './catalog';
import { inTransaction, openStore } from './db';

let till: TempTill;
beforeEach(() => {
  till = tempTill();
});
afterEach(() => till.cleanup());

describe('catalog', () => {
  it('finds a product by any of its barcodes', () => {
    expect(findByBarcode(till.deps.db, '8941100500019')?.nameEn).toBe('Rupchanda Soybean Oil 1L');
    expect(findByBarcode(till.deps.db, '0000000000000')).toBeUndefined();
  });

  it('moves a barcode that head office gives to another product', () => {
    const db = till.deps.db;
    upsertProduct(
      db,
      {
        ...PRODUCTS.tea,
        id: '0190b000-0000-4000-8000-000000000099' as ProductId,
        barcodes: [PRODUCTS.soap.barcodes[0]!],
      },
      1,
    );
    expect(findByBarcode(db, PRODUCTS.soap.barcodes[0]!)?.id).toBe('0190b000-0000-4000-8000-000000000099');
    expect(getProduct(db, PRODUCTS.soap.id)?.barcodes).toEqual([]);
  });

  it('sees a price change made on the same connection', () => {
    const db = till.deps.db;
    const barcode = PRODUCTS.oil.barcodes[0]!;
    expect(findByBarcode(db, barcode)?.price).toBe(PRODUCTS.oil.price);
    upsertProduct(db, { ...PRODUCTS.oil, price: poisha(19_500) }, 1);
    expect(findByBarcode(db, barcode)?.price).toBe(19_500);
  });

  it('sees a change committed by another connection, as the sync process makes', () => {
    const db = till.deps.db;
    const barcode = PRODUCTS.oil.barcodes[0]!;
    expect(findByBarcode(db, barcode)?.active).toBe(true);
    const sync = openStore(till.path);
    try {
      upsertProduct(sync.write, { ...PRODUCTS.oil, active: false, barcodes: [] }, 1);
    } finally {
      sync.close();
    }
    expect(findByBarcode(db, barcode)).toBeUndefined();
    expect(findByBarcode(till.store.read, PRODUCTS.soap.barcodes[0]!)?.id).toBe(PRODUCTS.soap.id);
  });

  it('forgets what a rolled-back transaction read', () => {
    const db = till.deps.db;
    const barcode = PRODUCTS.oil.barcodes[0]!;
    expect(() =>
      inTransaction(db, () => {
        upsertProduct(db, { ...PRODUCTS.oil, price: poisha(1) }, 1);
        expect(findByBarcode(db, barcode)?.price).toBe(1);
        throw new Error('roll back');
      }),
    ).toThrow('roll back');
    expect(findByBarcode(db, barcode)?.price).toBe(PRODUCTS.oil.price);
  });

  it('searches English names by any part of a word, case-insensitively', () => {
    expect(searchProducts(till.deps.db, 'soyb').map((p) => p.nameEn)).toEqual(['Rupchanda Soybean Oil 1L']);
    expect(searchProducts(till.deps.db, 'RICE').map((p) => p.nameEn)).toEqual(['Miniket Rice']);
    expect(searchProducts(till.deps.db, 'oil rup').map((p) => p.nameEn)).toEqual(['Rupchanda Soybean Oil 1L']);
  });

  it('searches Bangla names', () => {
    expect(searchProducts(till.deps.db, 'চাল').map((p) => p.nameBn)).toEqual(['মিনিকেট চাল']);
    expect(searchProducts(till.deps.db, 'সাবান').map((p) => p.nameEn)).toEqual(['Lux Soap 100g']);
  });

  it('matches short queries by the start of a name', () => {
    expect(searchProducts(till.deps.db, 'lu').map((p) => p.nameEn)).toEqual(['Lux Soap 100g']);
    expect(searchProducts(till.deps.db, 'মি').map((p) => p.nameEn)).toEqual(['Miniket Rice']);
  });

  it('leaves out inactive products and treats FTS syntax as text', () => {
    upsertProduct(till.deps.db, { ...PRODUCTS.soap, active: false }, 2);
    expect(searchProducts(till.deps.db, 'soap')).toEqual([]);
    expect(searchProducts(till.deps.db, '"soap" OR tea*')).toEqual([]);
    expect(searchProducts(till.deps.db, '   ')).toEqual([]);
  });

  it('follows renames from head office', () => {
    upsertProduct(till.deps.db, { ...PRODUCTS.tea, nameEn: 'Ispahani Premium Tea 400g' }, 3);
    expect(searchProducts(till.deps.db, 'premium').map((p) => p.id)).toEqual([PRODUCTS.tea.id]);
    expect(searchProducts(till.deps.db, 'mirzapore')).toEqual([]);
  });

  it('ranks a product first when its full name is typed, in English or Bangla', () => {
    for (const p of Object.values(PRODUCTS)) {
      expect(searchProducts(till.deps.db, p.nameEn)[0]?.id, p.nameEn).toBe(p.id);
      expect(searchProducts(till.deps.db, p.nameBn)[0]?.id, p.nameBn).toBe(p.id);
    }
  });

  it('ranks whole words before word starts before the inside of a word, then shorter names', () => {
    const db = till.deps.db;
    const named = (n: number, nameEn: string): Product => ({
      ...PRODUCTS.soap,
      id: `0190b000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}` as ProductId,
      nameEn,
      nameBn: 'সাবান',
      barcodes: [],
    });
    upsertProduct(db, named(1, 'Soapnut Shampoo'), 1);
    upsertProduct(db, named(2, 'Nut Cookies 200g'), 1);
    upsertProduct(db, named(3, 'Peanut Butter'), 1);
    upsertProduct(db, named(4, 'Lux Soap 100g Family Pack'), 1);
    expect(searchProducts(db, 'soap').map((p) => p.nameEn)).toEqual([
      'Lux Soap 100g',
      'Lux Soap 100g Family Pack',
      'Soapnut Shampoo',
    ]);
    expect(searchProducts(db, 'nut').map((p) => p.nameEn)).toEqual([
      'Nut Cookies 200g',
      'Peanut Butter',
      'Soapnut Shampoo',
    ]);
  });

  it('finds a full name among more matches than it ranks', () => {
    const crowded = tempTill({ seed: false });
    try {
      const db = crowded.deps.db;
      inTransaction(db, () => {
        // More products with every word at a word start than a search ranks,
        // all found by the index before the one asked for.
        for (let n = 1; n <= SEARCH_CANDIDATES + 50; n++) {
          upsertProduct(
            db,
            {
              ...PRODUCTS.soap,
              id: `0190d000-0000-4000-8000-${String(n).padStart(12, '0')}` as ProductId,
              nameEn: `Lux Beauty Soap 100g Gift ${n}`,
              barcodes: [],
            },
            1,
          );
        }
        upsertProduct(db, PRODUCTS.soap, 1);
      });
      expect(searchProducts(db, 'lux soap 100g')[0]?.id).toBe(PRODUCTS.soap.id);
      expect(searchProducts(db, 'Lux Soap 100g', 5)).toHaveLength(5);
    } finally {
      crowded.cleanup();
    }
  });
});
