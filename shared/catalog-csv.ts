import { parseCsv } from './csv';
import { parseTaka, toLatinDigits } from './money';
import { pulledProduct, type PulledProduct } from './wire/pull';

/**
 * A product catalog as head office keeps it in a spreadsheet, one product a
 * row. Prices are taka ("120.50"), VAT rates percent ("7.5"), barcodes are
 * separated by spaces or "|", `active` is yes/no (blank: yes). A row whose
 * sku is already known updates that product; any other row creates one.
 */
export const CATALOG_COLUMNS = [
  'sku',
  'name_en',
  'name_bn',
  'category',
  'unit',
  'price',
  'vat_rate',
  'vat_mode',
  'active',
  'barcodes',
] as const;
type CatalogColumn = (typeof CATALOG_COLUMNS)[number];
const REQUIRED: readonly CatalogColumn[] = ['sku', 'name_en', 'unit', 'price', 'vat_rate'];
export const MAX_CATALOG_ROWS = 5000;

export type CatalogProduct = Omit<PulledProduct, 'id'>;

export interface CatalogRowError {
  /** The line of the file, counting the header as line 1. */
  readonly line: number;
  readonly field: string;
  readonly reason: string;
}

/** A row's cells as written, to show beside its errors. */
export interface CatalogSource {
  readonly sku: string;
  readonly nameEn: string;
  readonly nameBn: string;
  readonly price: string;
  readonly vatRate: string;
}

export interface CatalogParse {
  readonly rows: { line: number; product: CatalogProduct | null; source: CatalogSource }[];
  readonly errors: CatalogRowError[];
}

const FIELD_OF: Record<string, CatalogColumn> = {
  sku: 'sku',
  nameEn: 'name_en',
  nameBn: 'name_bn',
  category: 'category',
  unit: 'unit',
  price: 'price',
  vatRate: 'vat_rate',
  vatMode: 'vat_mode',
  active: 'active',
  barcodes: 'barcodes',
};

export function parseCatalogCsv(text: string): CatalogParse {
  const parsed = parseCsv(text);
  if (!parsed.ok) return { rows: [], errors: [{ line: parsed.line, field: '(file)', reason: parsed.reason }] };
  const [header, ...body] = parsed.rows;
  if (!header) return { rows: [], errors: [{ line: 1, field: '(file)', reason: 'the file is empty' }] };
  const names = header.cells.map((c) => c.trim().toLowerCase());
  const errors: CatalogRowError[] = [];
  for (const name of names) {
    if (!(CATALOG_COLUMNS as readonly string[]).includes(name))
      errors.push({ line: 1, field: name, reason: `unknown column; the columns are ${CATALOG_COLUMNS.join(', ')}` });
  }
  for (const name of REQUIRED) {
    if (!names.includes(name)) errors.push({ line: 1, field: name, reason: 'this column is required' });
  }
  if (errors.length > 0) return { rows: [], errors };
  if (body.length > MAX_CATALOG_ROWS) {
    return {
      rows: [],
      errors: [{ line: 1, field: '(file)', reason: `at most ${MAX_CATALOG_ROWS} products in one import` }],
    };
  }

  const rows: CatalogParse['rows'] = [];
  const skus = new Map<string, number>();
  const barcodes = new Map<string, number>();
  for (const row of body) {
    const cell = (name: CatalogColumn) => {
      const i = names.indexOf(name);
      return i < 0 ? '' : (row.cells[i] ?? '').trim();
    };
    const rowErrors: CatalogRowError[] = [];
    const fail = (field: string, reason: string) => rowErrors.push({ line: row.line, field, reason });
    const price = parseTaka(cell('price'));
    if (price === null || price < 0) fail('price', 'must be an amount in taka with at most two decimals, like 120.50');
    const vat = /^\d{1,3}(?:\.\d{1,2})?$/.exec(toLatinDigits(cell('vat_rate')).replace('%', ''));
    if (!vat) fail('vat_rate', 'must be a percentage like 7.5 or 15');
    const active = cell('active').toLowerCase();
    const unit = cell('unit').toLowerCase();
    if (!['piece', 'kg'].includes(unit)) fail('unit', 'must be piece or kg');
    const vatMode = cell('vat_mode').toLowerCase() || 'inclusive';
    if (!['inclusive', 'exclusive'].includes(vatMode)) fail('vat_mode', 'must be inclusive or exclusive');
    if (!['', 'yes', 'no', 'true', 'false', '1', '0'].includes(active)) fail('active', 'must be yes or no');
    const candidate = {
      sku: cell('sku'),
      nameEn: cell('name_en'),
      nameBn: cell('name_bn'),
      category: cell('category'),
      unit,
      price: price ?? 0,
      vatRate: vat ? Math.round(Number(vat[0]) * 100) : 0,
      vatMode,
      active: !['no', 'false', '0'].includes(active),
      barcodes: cell('barcodes')
        .split(/[\s|]+/)
        .filter((b) => b !== ''),
    };
    const checked = pulledProduct.omit({ id: true }).safeParse(candidate);
    if (!checked.success) {
      for (const issue of checked.error.issues) {
        const field = FIELD_OF[String(issue.path[0])] ?? String(issue.path[0]);
        if (!rowErrors.some((e) => e.field === field)) fail(field, issue.message);
      }
    }
    if (candidate.sku !== '') {
      const first = skus.get(candidate.sku);
      if (first !== undefined) fail('sku', `the same sku is on line ${first}`);
      else skus.set(candidate.sku, row.line);
    }
    for (const b of candidate.barcodes) {
      const first = barcodes.get(b);
      if (first !== undefined && first !== row.line) fail('barcodes', `barcode ${b} is also on line ${first}`);
      else barcodes.set(b, row.line);
    }
    errors.push(...rowErrors);
    rows.push({
      line: row.line,
      product: rowErrors.length === 0 && checked.success ? checked.data : null,
      source: {
        sku: cell('sku'),
        nameEn: cell('name_en'),
        nameBn: cell('name_bn'),
        price: cell('price'),
        vatRate: cell('vat_rate'),
      },
    });
  }
  if (rows.length === 0) errors.push({ line: 2, field: '(file)', reason: 'no products below the header' });
  return { rows, errors };
}
