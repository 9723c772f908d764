import { useEffect, useRef } from 'react';
import type { ReceiptView } from '../../shared/pos-api';
import { receiptQrText } from '../../shared/receipt-qr';
import { QrCode } from '../components/QrCode';
import { Receipt } from '../components/Receipt';
import { useTexts } from '../i18n/lang-context';
import { useShortcuts } from '../use-shortcuts';

/**
 * The finished sale: change to give, the receipt to print or, when the
 * printer is out of paper, a QR code the customer scans for the receipt
 * number and total; Enter for the next customer.
 */
export function ReceiptScreen({ receipt, onNewSale }: { receipt: ReceiptView; onNewSale(firstKey?: string): void }) {
  const { t, money } = useTexts();
  const next = useRef<HTMLButtonElement>(null);
  useEffect(() => next.current?.focus(), []);
  useShortcuts({
    Escape: () => onNewSale(),
    'Ctrl+p': () => window.print(),
    ...Object.fromEntries('0123456789'.split('').map((d) => [d, () => onNewSale(d)])),
  });
  return (
    <main className="receipt-screen">
      <section className="receipt-side no-print">
        {receipt.change > 0 && (
          <p className="change-banner" role="status">
            {t('receipt.changeDue')} <strong>{money(receipt.change)}</strong>
          </p>
        )}
        <button type="button" className="primary big" ref={next} onClick={() => onNewSale()}>
          {t('action.newSale')} <kbd>Enter</kbd>
        </button>
        <button type="button" className="big" onClick={() => window.print()}>
          {t('action.print')} <kbd>Ctrl P</kbd>
        </button>
        <figure className="receipt-qr">
          <QrCode
            text={receiptQrText({
              shop: t('app.name'),
              receiptNo: receipt.receiptNo,
              total: receipt.total,
              completedAt: receipt.completedAt,
            })}
            label={t('receipt.qrLabel', { no: receipt.receiptNo })}
          />
          <figcaption>{t('receipt.qrHint')}</figcaption>
        </figure>
      </section>
      <Receipt receipt={receipt} />
    </main>
  );
}
