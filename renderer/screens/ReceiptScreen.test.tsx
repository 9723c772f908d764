// @vitest-environment happy-dom
import '@testing-library/jest-dom/vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReceiptView } from '../../shared/pos-api';
import { ReceiptScreen } from './ReceiptScreen';

afterEach(cleanup);

const RECEIPT = {
  receiptNo: 'DHK01-2-000123',
  branch: 'DHK01',
  till: 2,
  cashierName: 'Rina',
  completedAt: Date.UTC(2026, 10, 23, 8, 5),
  lines: [],
  subtotal: 19_000,
  discountTotal: 0,
  vatTotal: 1326,
  total: 19_000,
  payments: [{ method: 'cash', amount: 20_000, reference: null }],
  cashReceived: 20_000,
  change: 1000,
  voided: false,
  refundedTotal: 0,
  customerPhone: '+8801712345678',
  offline: true,
} as unknown as ReceiptView;

describe('the receipt screen', () => {
  it('shows a QR code with the receipt number and total, for when the printer has no paper', () => {
    render(<ReceiptScreen receipt={RECEIPT} onNewSale={() => undefined} />);
    const qr = screen.getByRole('img', { name: 'QR code of receipt DHK01-2-000123' });
    expect(qr.getAttribute('data-qr-text')).toBe(
      'Haat receipt DHK01-2-000123\nTotal BDT 190.00\n23/11/2026, 14:05 Dhaka',
    );
    // Drawn here, module by module: the finder pattern's corner sits inside the four-module quiet zone.
    const path = qr.querySelector('path')!.getAttribute('d')!;
    expect(path.startsWith('M4 4h1v1h-1z')).toBe(true);
    expect(path.match(/h1v1h-1z/g)!.length).toBeGreaterThan(200);
    expect(screen.getByText(/No paper\?/)).toBeInTheDocument();
  });

  it('prints the customer’s number masked, since a receipt may be left behind', () => {
    render(<ReceiptScreen receipt={RECEIPT} onNewSale={() => undefined} />);
    expect(screen.getByText('Customer: 01712-***678')).toBeInTheDocument();
    expect(screen.queryByText(/345678/)).not.toBeInTheDocument();
  });
});
