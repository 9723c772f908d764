import { describe, expect, it } from 'vitest';
import { dhakaDay, dhakaRange, reportParamsSchema, reportToCsv, type ReportResult } from './reports';

describe('report parameters', () => {
  it('accepts a range and fills the limit', () => {
    expect(reportParamsSchema.parse({ from: '2026-11-01', to: '2026-11-30' })).toEqual({
      from: '2026-11-01',
      to: '2026-11-30',
      limit: 20,
    });
  });

  it('names the field that is wrong', () => {
    const bad = (input: unknown) => reportParamsSchema.safeParse(input).error?.issues[0];
    expect(bad({ from: '2026-02-30', to: '2026-03-01' })).toMatchObject({ path: ['from'] });
    expect(bad({ from: '2026-11-02', to: '2026-11-01' })).toMatchObject({
      path: ['to'],
      message: 'must not be before from',
    });
    expect(bad({ from: '2024-01-01', to: '2026-01-01' })).toMatchObject({ path: ['to'] });
    expect(bad({ from: '2026-11-01', to: '2026-11-01', branch: 'dhk' })).toMatchObject({ path: ['branch'] });
    expect(bad({ from: '2026-11-01', to: '2026-11-01', limit: '0' })).toMatchObject({ path: ['limit'] });
  });
});

describe('Dhaka business days', () => {
  it('puts 23:59 Dhaka on its own day and midnight on the next', () => {
    const { start, end } = dhakaRange('2026-11-23', '2026-11-23');
    expect(new Date(start).toISOString()).toBe('2026-11-22T18:00:00.000Z');
    expect(end - start).toBe(86_400_000);
    expect(dhakaDay(start)).toBe('2026-11-23');
    expect(dhakaDay(end - 1)).toBe('2026-11-23');
    expect(dhakaDay(end)).toBe('2026-11-24');
  });
});

describe('CSV export', () => {
  it('writes exact taka, thousandths, and quotes what a spreadsheet would misread', () => {
    const result: ReportResult = {
      name: 'sales-by-product',
      params: { from: '2026-11-01', to: '2026-11-01', limit: 20 },
      columns: [
        { key: 'name', kind: 'text', en: 'Product, name', bn: 'পণ্য' },
        { key: 'qty', kind: 'milli', en: 'Quantity', bn: 'পরিমাণ' },
        { key: 'net', kind: 'money', en: 'Net', bn: 'নিট' },
      ],
      rows: [
        { name: 'চাল "মিনিকেট"', qty: 1500, net: -5 },
        { name: '=HYPERLINK("x")', qty: 3, net: 123456 },
        { name: null, qty: 0, net: 0 },
      ],
      totals: {},
      generatedAt: 0,
    };
    expect(reportToCsv(result)).toBe(
      '"Product, name",Quantity,Net\r\n' +
        '"চাল ""মিনিকেট""",1.500,-0.05\r\n' +
        '"\'=HYPERLINK(""x"")",0.003,1234.56\r\n' +
        ',0.000,0.00\r\n',
    );
  });
});
