import { useCallback, useState, type FormEvent } from 'react';
import { formatBdMobile } from '../../../../shared/phone';
import type { OfficeCustomer, OfficeCustomerDetail } from '../../../../shared/office-customers';
import type { OfficeClient } from '../api';
import { ErrorNote } from '../components/ErrorNote';
import { useTexts } from '../i18n';
import { useResource } from '../use-resource';

/**
 * Customers by mobile number, one per number whichever branches met them,
 * and what each bought: every sale that carries the number.
 */
export function CustomersPage({ client }: { client: OfficeClient }) {
  const { t, money, count, time, digits } = useTexts();
  const [query, setQuery] = useState('');
  const [asked, setAsked] = useState('');
  const [detail, setDetail] = useState<OfficeCustomerDetail | null>(null);
  const [detailError, setDetailError] = useState<unknown>(null);
  const { data, error } = useResource(
    useCallback(
      () => client.get<{ customers: OfficeCustomer[] }>(`/v1/office/customers?q=${encodeURIComponent(asked)}`),
      [client, asked],
    ),
  );

  function search(e: FormEvent) {
    e.preventDefault();
    setAsked(query.trim());
  }

  async function open(phone: string) {
    try {
      setDetail(await client.get<OfficeCustomerDetail>(`/v1/office/customers/${encodeURIComponent(phone)}`));
      setDetailError(null);
    } catch (err) {
      setDetailError(err);
    }
  }

  const customers = data?.customers ?? [];
  return (
    <section aria-labelledby="customers-title">
      <div className="page-head">
        <h1 id="customers-title">{t('customers.title')}</h1>
      </div>
      <form className="card inline" onSubmit={search} role="search">
        <label>
          {t('customers.phone')}
          <input type="search" inputMode="tel" value={query} onChange={(e) => setQuery(e.target.value)} />
        </label>
        <button type="submit" className="primary">
          {t('common.search')}
        </button>
      </form>
      <ErrorNote error={error} />
      <div className="card table-wrap">
        <table aria-label={t('customers.title')}>
          <thead>
            <tr>
              <th>{t('customers.phone')}</th>
              <th>{t('customers.name')}</th>
              <th className="num">{t('customers.visits')}</th>
              <th className="num">{t('customers.spent')}</th>
              <th>{t('customers.branches')}</th>
              <th>{t('customers.lastSale')}</th>
            </tr>
          </thead>
          <tbody>
            {customers.length === 0 && (
              <tr>
                <td colSpan={6} className="muted">
                  {data ? t('customers.none') : t('common.loading')}
                </td>
              </tr>
            )}
            {customers.map((c) => (
              <tr key={c.phone} aria-selected={detail?.customer.phone === c.phone}>
                <td>
                  <button type="button" className="link" onClick={() => void open(c.phone)}>
                    {digits(formatBdMobile(c.phone))}
                  </button>
                </td>
                <td>{c.name ?? ''}</td>
                <td className="num">{count(c.visits)}</td>
                <td className="num">{money(c.spent)}</td>
                <td>{c.branches.join(', ')}</td>
                <td>{time(c.lastSaleAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ErrorNote error={detailError} />
      {detail && (
        <article className="card" aria-labelledby="customer-detail-title">
          <h2 id="customer-detail-title">
            {digits(formatBdMobile(detail.customer.phone))}
            {detail.customer.name ? ` · ${detail.customer.name}` : ''}
          </h2>
          <p className="muted">
            {t('customers.summary', {
              visits: count(detail.customer.visits),
              spent: money(detail.customer.spent),
              first: time(detail.customer.firstSaleAt),
              branch: detail.customer.firstBranch,
            })}
          </p>
          <div className="table-wrap">
            <table aria-label={t('customers.purchases')}>
              <thead>
                <tr>
                  <th>{t('customers.time')}</th>
                  <th>{t('customers.receipt')}</th>
                  <th>{t('customers.branch')}</th>
                  <th className="num">{t('customers.total')}</th>
                  <th className="num">{t('customers.refunded')}</th>
                  <th>{t('customers.state')}</th>
                </tr>
              </thead>
              <tbody>
                {detail.purchases.map((p) => (
                  <tr key={p.saleId} className={p.voided ? 'inactive' : ''}>
                    <td>{time(p.completedAt)}</td>
                    <td>{p.receiptNo}</td>
                    <td>
                      {p.branch} · {t('health.col.till')} {digits(String(p.till))}
                    </td>
                    <td className="num">{money(p.total)}</td>
                    <td className="num">{p.refunded > 0 ? money(p.refunded) : ''}</td>
                    <td>
                      {[
                        p.voided ? t('customers.voided') : '',
                        p.offline ? t('customers.offline') : '',
                        p.approvedBy ? t('customers.overCap', { name: p.approvedBy }) : '',
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </article>
      )}
    </section>
  );
}
