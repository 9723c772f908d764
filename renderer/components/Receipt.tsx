import type { ReceiptView } from '../../shared/pos-api';
import { maskBdMobile } from '../../shared/phone';
import { useTexts } from '../i18n/lang-context';

/** The 80 mm receipt, as printed and as shown. */
export function Receipt({ receipt }: { receipt: ReceiptView }) {
  const { t, money, quantity, time, name } = useTexts();
  return (
    <article className="receipt" aria-label={t('receipt.title')}>
      <header>
        <p className="receipt-shop">{t('app.name')}</p>
        <p>
          {t('header.branch')} {receipt.branch} · {t('header.till')} {receipt.till}
        </p>
        <p>
          {t('receipt.no')} <strong data-testid="receipt-no">{receipt.receiptNo}</strong>
        </p>
        <p>{time(receipt.completedAt)}</p>
        <p>
          {t('receipt.cashier')}: {receipt.cashierName}
        </p>
        {receipt.customerPhone && (
          <p>
            {t('receipt.customer')}: {maskBdMobile(receipt.customerPhone)}
          </p>
        )}
        {receipt.voided && <p className="receipt-flag">{t('receipt.voided')}</p>}
      </header>
      <ol className="receipt-lines">
        {receipt.lines.map((l) => (
          <li key={l.lineNo}>
            <span className="receipt-name">{name(l)}</span>
            <span className="receipt-calc">
              {quantity(l.quantity, l.unit)} × {money(l.unitPrice)}
              {l.lineDiscount > 0 ? ` −${money(l.lineDiscount)}` : ''}
            </span>
            <span className="receipt-amount">{money(l.gross - l.lineDiscount)}</span>
          </li>
        ))}
      </ol>
      <dl className="receipt-totals">
        <div>
          <dt>{t('sale.subtotal')}</dt>
          <dd>{money(receipt.subtotal)}</dd>
        </div>
        {receipt.discountTotal > 0 && (
          <div>
            <dt>{t('sale.discounts')}</dt>
            <dd>−{money(receipt.discountTotal)}</dd>
          </div>
        )}
        <div className="grand">
          <dt>{t('sale.total')}</dt>
          <dd>{money(receipt.total)}</dd>
        </div>
        <div>
          <dt>{t('receipt.vatIncluded')}</dt>
          <dd>{money(receipt.vatTotal)}</dd>
        </div>
        {receipt.payments.map((p, i) => (
          <div key={i}>
            <dt>
              {t(`tender.${p.method}`)}
              {p.reference ? ` ${p.reference}` : ''}
            </dt>
            <dd>{money(p.amount)}</dd>
          </div>
        ))}
        {receipt.change > 0 && (
          <div>
            <dt>{t('tender.change')}</dt>
            <dd>{money(receipt.change)}</dd>
          </div>
        )}
        {receipt.refundedTotal > 0 && (
          <div>
            <dt>{t('receipt.refunded')}</dt>
            <dd>−{money(receipt.refundedTotal)}</dd>
          </div>
        )}
      </dl>
      <p className="receipt-thanks">{t('receipt.thanks')}</p>
    </article>
  );
}
