import { type FormEvent, useState } from 'react';
import { formatBdMobile } from '../../shared/phone';
import type { CartView, CustomerView, PosApi } from '../../shared/pos-api';
import type { Problem } from '../../shared/result';
import { useTexts } from '../i18n/lang-context';
import { errorFor } from '../problems';
import { FieldError, invalid } from './FieldError';

/**
 * The customer's mobile number on the sale, if they give one. The till looks
 * them up in its own records, so a returning customer is recognised offline;
 * a name is kept when given.
 */
export function CustomerBox({ api, cart, onCart }: { api: PosApi; cart: CartView; onCart(cart: CartView): void }) {
  const { t, money, time } = useTexts();
  const [phone, setPhone] = useState('');
  const [name, setName] = useState('');
  const [known, setKnown] = useState<CustomerView | null | undefined>(undefined);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  async function add(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      const found = await api['customer:lookup']({ phone });
      if (!found.ok) {
        setProblem(found.error);
        return;
      }
      const given = name.trim() || found.value?.name || null;
      const r = await api['sale:setCustomer']({ phone, name: given });
      if (!r.ok) {
        setProblem(r.error);
        return;
      }
      setProblem(null);
      setKnown(found.value);
      onCart(r.value);
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    const r = await api['sale:setCustomer']({ phone: null });
    if (!r.ok) return setProblem(r.error);
    setKnown(undefined);
    setPhone('');
    setName('');
    onCart(r.value);
  }

  if (cart.customer) {
    return (
      <section className="customer-box" aria-labelledby="customer-title">
        <h2 id="customer-title">{t('customer.title')}</h2>
        <p className="customer-on-sale">
          <strong data-testid="customer-phone">{formatBdMobile(cart.customer.phone)}</strong>
          {cart.customer.name ? ` · ${cart.customer.name}` : ''}
          <button type="button" className="small" onClick={() => void remove()}>
            {t('customer.remove')}
          </button>
        </p>
        <p className="customer-status" role="status">
          {known
            ? t('customer.returning', { visits: known.visits, spent: money(known.spent), date: time(known.lastSaleAt) })
            : t('customer.new')}
        </p>
      </section>
    );
  }
  return (
    <form className="customer-box" onSubmit={(e) => void add(e)} aria-labelledby="customer-title">
      <h2 id="customer-title">{t('customer.title')}</h2>
      <div className="customer-fields">
        <div>
          <label htmlFor="customer-phone">{t('customer.phone')}</label>
          <input
            id="customer-phone"
            type="tel"
            inputMode="tel"
            autoComplete="off"
            placeholder="01XXXXXXXXX"
            value={phone}
            {...invalid('customer-phone-error', errorFor(problem, 'phone'))}
            onChange={(e) => setPhone(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="customer-name">{t('customer.name')}</label>
          <input
            id="customer-name"
            autoComplete="off"
            value={name}
            {...invalid('customer-name-error', errorFor(problem, 'name'))}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <button type="submit" disabled={busy || phone.trim() === ''}>
          {t('customer.add')}
        </button>
      </div>
      <FieldError id="customer-phone-error" problem={errorFor(problem, 'phone')} />
      <FieldError id="customer-name-error" problem={errorFor(problem, 'name')} />
    </form>
  );
}
