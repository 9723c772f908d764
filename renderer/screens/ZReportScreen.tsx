import type { ShiftCloseView } from '../../shared/pos-api';
import { PAYMENT_METHODS } from '../../shared/tender';
import { useTexts } from '../i18n/lang-context';

/** The shift's Z report, printable on the same 80 mm paper as receipts. */
export function ZReportScreen({ closed, onNext }: { closed: ShiftCloseView; onNext(): void }) {
  const { t, money, time, quantity } = useTexts();
  const count = (n: number) => quantity(n * 1000, 'piece');
  const z = closed.z;
  const row = (label: string, value: string, className?: string) => (
    <div className={className}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
  return (
    <main className="receipt-screen">
      <section className="receipt-side no-print">
        <button type="button" className="primary big" autoFocus onClick={onNext}>
          {t('z.openNext')}
        </button>
        <button type="button" className="big" onClick={() => window.print()}>
          {t('action.print')}
        </button>
      </section>
      <article className="receipt" aria-labelledby="z-title">
        <header>
          <h1 id="z-title" className="receipt-shop">
            {t('z.title')}
          </h1>
          <p>
            {time(closed.openedAt)} – {time(closed.closedAt)}
          </p>
        </header>
        <dl className="receipt-totals">
          {row(t('z.sales'), count(z.salesCount))}
          {row(t('z.netSales'), money(z.netSales), 'grand')}
          {row(t('z.vat'), money(z.vatTotal))}
          {row(t('z.discounts'), money(z.discountTotal))}
        </dl>
        <h2>{t('z.byMethod')}</h2>
        <dl className="receipt-totals">
          {PAYMENT_METHODS.map((m) => row(t(`tender.${m}`), money(z.salesByMethod[m] ?? 0)))}
        </dl>
        <dl className="receipt-totals">
          {row(t('z.voids'), t('z.count', { n: count(z.voidsCount), amount: money(z.voidsTotal) }))}
          {row(t('z.refunds'), t('z.count', { n: count(z.refundsCount), amount: money(z.refundsTotal) }))}
        </dl>
        <dl className="receipt-totals">
          {row(t('z.float'), money(z.openingFloat))}
          {row(t('z.cashIn'), money(z.cashIn))}
          {row(t('z.cashOut'), `−${money(z.cashOut)}`)}
          {row(t('z.expected'), money(z.expectedCash))}
          {row(t('z.counted'), money(z.countedCash))}
          {row(t('z.difference'), money(z.difference), z.difference < 0 ? 'grand short' : 'grand')}
        </dl>
      </article>
    </main>
  );
}
