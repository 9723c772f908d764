import { type FormEvent, useEffect, useRef, useState } from 'react';
import { parseTaka } from '../../shared/money';
import type { CartView, PosApi, ReceiptView } from '../../shared/pos-api';
import type { Problem } from '../../shared/result';
import type { PaymentMethod } from '../../shared/tender';
import { CustomerBox } from '../components/CustomerBox';
import { FieldError, invalid } from '../components/FieldError';
import { Totals } from '../components/Totals';
import { useTexts } from '../i18n/lang-context';
import { errorFor, unplaced } from '../problems';
import { useShortcuts } from '../use-shortcuts';

const METHODS: readonly { method: PaymentMethod; key: string }[] = [
  { method: 'cash', key: 'Alt+c' },
  { method: 'card', key: 'Alt+k' },
  { method: 'bkash', key: 'Alt+b' },
  { method: 'nagad', key: 'Alt+n' },
];

/** Notes a customer is likely to hand over for this amount: the next ৳100, ৳500 and ৳1000 above it. */
export function quickCashAmounts(due: number): number[] {
  const steps = [100_00, 500_00, 1000_00];
  const amounts = new Set<number>([due]);
  for (const s of steps) {
    const up = Math.ceil(due / s) * s;
    amounts.add(up > due ? up : due + s);
  }
  return [...amounts].sort((a, b) => a - b).slice(0, 4);
}

function asText(amount: number): string {
  return (amount / 100).toFixed(2);
}

/**
 * Taking payment: cash with quick amounts and change, card with its approval
 * code, bKash or Nagad with the transaction id, any mix of them. When the
 * sale is paid in full it completes at once.
 */
export function TenderScreen({
  api,
  cart,
  onCart,
  onCompleted,
  onBack,
}: {
  api: PosApi;
  cart: CartView;
  onCart(cart: CartView): void;
  onCompleted(receipt: ReceiptView): void;
  onBack(): void;
}) {
  const { t, money, problem: text } = useTexts();
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const [amount, setAmount] = useState(asText(cart.due));
  const [reference, setReference] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  /** A card or mobile payment over the branch's offline caps, waiting for a manager's PIN or for cash instead. */
  const [overCap, setOverCap] = useState<{ amount: number; problem: Problem } | null>(null);
  const [managerPin, setManagerPin] = useState('');
  const amountRef = useRef<HTMLInputElement>(null);
  const referenceRef = useRef<HTMLInputElement>(null);

  // Cash starts at the amount; card and mobile money at the code the terminal or phone shows.
  useEffect(() => {
    if (method === 'cash') amountRef.current?.select();
    else referenceRef.current?.focus();
  }, [method]);

  async function complete() {
    const r = await api['sale:complete']({ saleId: cart.saleId ?? '' });
    if (r.ok) onCompleted(r.value);
    else setProblem(r.error);
  }

  async function take(value: number, pin?: string) {
    if (busy) return;
    setBusy(true);
    try {
      const r = await api['sale:tender']({
        method,
        amount: value,
        reference: method === 'cash' ? null : reference,
        ...(pin ? { managerPin: pin } : {}),
      });
      if (!r.ok) {
        if (r.error.code === 'offline-cap-exceeded') {
          setOverCap({ amount: value, problem: r.error });
          setProblem(null);
        } else setProblem(r.error);
        return;
      }
      setProblem(null);
      setOverCap(null);
      setManagerPin('');
      onCart(r.value);
      if (r.value.due === 0) await complete();
      else {
        setMethod('cash');
        setReference('');
        setAmount(asText(r.value.due));
      }
    } finally {
      setBusy(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (cart.due === 0) {
      void complete();
      return;
    }
    const value = parseTaka(amount);
    if (value === null || value <= 0) {
      setProblem({ code: 'invalid-amount', field: 'amount', reason: 'Enter the amount paid, e.g. 500.' });
      return;
    }
    void take(value);
  }

  async function removePayment(index: number) {
    const r = await api['sale:removePayment']({ index });
    if (r.ok) {
      onCart(r.value);
      setAmount(asText(r.value.due));
    }
  }

  function choose(m: PaymentMethod) {
    setMethod(m);
    setProblem(null);
    setOverCap(null);
    setManagerPin('');
    setAmount(asText(cart.due));
  }

  useShortcuts({
    Escape: onBack,
    ...Object.fromEntries(METHODS.map(({ method: m, key }) => [key, () => choose(m)])),
  });

  const referenceLabel = method === 'card' ? t('tender.approval') : t('tender.trxId');
  const general = unplaced(problem, ['amount', 'reference', 'method', 'managerPin']);
  return (
    <main className="tender-screen">
      <section className="tender-summary" aria-label={t('sale.total')}>
        <Totals cart={cart} />
        <dl className="due">
          <div>
            <dt>{t('tender.paid')}</dt>
            <dd>{money(cart.paid)}</dd>
          </div>
          <div className="big">
            <dt>{t('tender.due')}</dt>
            <dd data-testid="due">{money(cart.due)}</dd>
          </div>
          {cart.change > 0 && (
            <div className="big change">
              <dt>{t('tender.change')}</dt>
              <dd>{money(cart.change)}</dd>
            </div>
          )}
        </dl>
        {cart.payments.length > 0 && (
          <section aria-labelledby="payments-title">
            <h2 id="payments-title">{t('tender.payments')}</h2>
            <ul className="payments">
              {cart.payments.map((p, i) => (
                <li key={i}>
                  <span>{t(`tender.${p.method}`)}</span>
                  <span className="ref">{p.reference ?? ''}</span>
                  <span className="num">{money(p.amount)}</span>
                  <button
                    type="button"
                    className="small"
                    aria-label={t('tender.removePayment', { n: i + 1 })}
                    onClick={() => void removePayment(i)}
                  >
                    ✕
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}
        {cart.tenderApproved && <p className="muted note">{t('tender.approved')}</p>}
        <CustomerBox api={api} cart={cart} onCart={onCart} />
      </section>
      <form className="tender-form card" onSubmit={submit} aria-labelledby="tender-title">
        <h1 id="tender-title">{t('tender.title')}</h1>
        {general && (
          <p className="field-error" role="alert">
            {text(general)}
          </p>
        )}
        <fieldset className="segmented methods">
          <legend>{t('tender.method')}</legend>
          {METHODS.map(({ method: m, key }) => (
            <label key={m} className={method === m ? 'on' : undefined}>
              <input type="radio" name="method" value={m} checked={method === m} onChange={() => choose(m)} />
              {t(`tender.${m}`)} <kbd>{key.replace('Alt+', 'Alt ').toUpperCase()}</kbd>
            </label>
          ))}
        </fieldset>
        <label htmlFor="amount">{t('tender.amount')}</label>
        <input
          ref={amountRef}
          id="amount"
          className="money-input"
          inputMode="decimal"
          autoFocus
          value={amount}
          {...invalid('amount-error', errorFor(problem, 'amount'))}
          onChange={(e) => setAmount(e.target.value)}
        />
        <FieldError id="amount-error" problem={errorFor(problem, 'amount')} />
        {method === 'cash' && cart.due > 0 && (
          <div className="quick" role="group" aria-label={t('tender.quick')}>
            {quickCashAmounts(cart.due).map((a, i) => (
              <button key={a} type="button" onClick={() => void take(a)}>
                {i === 0 ? `${t('tender.exact')} ${money(a)}` : money(a)}
              </button>
            ))}
          </div>
        )}
        {method !== 'cash' && (
          <>
            <label htmlFor="reference">{referenceLabel}</label>
            <input
              ref={referenceRef}
              id="reference"
              autoComplete="off"
              spellCheck={false}
              value={reference}
              {...invalid('reference-error', errorFor(problem, 'reference'))}
              onChange={(e) => setReference(e.target.value.toUpperCase())}
            />
            <FieldError id="reference-error" problem={errorFor(problem, 'reference')} />
          </>
        )}
        {overCap && (
          <section className="over-cap" role="alert" aria-labelledby="over-cap-title">
            <h2 id="over-cap-title">{t('tender.capTitle')}</h2>
            <p>{text(overCap.problem)}</p>
            <label htmlFor="manager-pin">{t('tender.managerPin')}</label>
            <input
              id="manager-pin"
              type="password"
              inputMode="numeric"
              autoComplete="off"
              value={managerPin}
              {...invalid('manager-pin-error', errorFor(problem, 'managerPin'))}
              onChange={(e) => setManagerPin(e.target.value.replace(/\D/g, ''))}
              onKeyDown={(e) => {
                if (e.key !== 'Enter') return;
                e.preventDefault();
                void take(overCap.amount, managerPin);
              }}
            />
            <FieldError id="manager-pin-error" problem={errorFor(problem, 'managerPin')} />
            <div className="dialog-actions">
              <button type="button" onClick={() => choose('cash')}>
                {t('tender.takeCash')}
              </button>
              <button
                type="button"
                className="primary"
                disabled={busy || managerPin.length < 4}
                onClick={() => void take(overCap.amount, managerPin)}
              >
                {t('tender.approve')}
              </button>
            </div>
          </section>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onBack}>
            {t('action.back')} <kbd>Esc</kbd>
          </button>
          <button type="submit" className="primary big" disabled={busy}>
            {t('tender.add')} <kbd>Enter</kbd>
          </button>
        </div>
      </form>
    </main>
  );
}
