import type { RecentSaleView } from '../../shared/pos-api';
import { useTexts } from '../i18n/lang-context';

const TICK = { local: '•', queued: '✔', acked: '✔✔' } as const;

/** The latest sales, each with how far it got: on this till, ✔ in the cloud queue, ✔✔ in head office. */
export function RecentSales({ sales, onOpen }: { sales: readonly RecentSaleView[]; onOpen?(receiptNo: string): void }) {
  const { t, money, time } = useTexts();
  return (
    <section className="recent" aria-labelledby="recent-title">
      <h2 id="recent-title">{t('recent.title')}</h2>
      {sales.length === 0 && <p className="muted">{t('recent.none')}</p>}
      <ul>
        {sales.map((s) => {
          const label = t(`recent.${s.tick}`);
          return (
            <li key={s.receiptNo} className={s.voided ? 'voided' : undefined}>
              <button type="button" className="recent-row" onClick={() => onOpen?.(s.receiptNo)}>
                <span className="recent-no">{s.receiptNo}</span>
                <span className="recent-time">{time(s.completedAt).split(', ')[1]}</span>
                <span className="recent-total">{money(s.total)}</span>
                <span className={`tick ${s.tick}`} role="img" aria-label={label} title={label} data-tick={s.tick}>
                  {TICK[s.tick]}
                </span>
              </button>
              {(s.voided || s.refundedTotal > 0) && (
                <span className="recent-note">
                  {s.voided ? t('recent.voided') : `${t('recent.refunded')} ${money(s.refundedTotal)}`}
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {sales.length > 0 && (
        // The marks are small; the key says once what each means, in the cashier's language.
        <p className="tick-legend">
          <span>
            {TICK.local} {t('recent.local')}
          </span>{' '}
          · <span>{t('recent.queued')}</span> · <span>{t('recent.acked')}</span>
        </p>
      )}
    </section>
  );
}
