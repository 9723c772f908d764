import { describe, expect, it } from 'vitest';
import { receiptQrText } from './receipt-qr';

describe('receiptQrText', () => {
  it('holds the receipt number, the total in taka and the Dhaka time, in ASCII', () => {
    const text = receiptQrText({
      shop: 'Haat',
      receiptNo: 'DHK01-2-000123',
      total: 1_234_550,
      completedAt: Date.UTC(2026, 10, 23, 20, 5),
    });
    expect(text).toBe('Haat receipt DHK01-2-000123\nTotal BDT 12,345.50\n24/11/2026, 02:05 Dhaka');
    expect(/^[\x20-\x7e\n]*$/.test(text)).toBe(true);
  });
});
