import { type FormEvent, useEffect, useState } from 'react';
import { toLatinDigits } from '../../shared/money';
import type { PosApi, ReceiptView } from '../../shared/pos-api';
import { parseQuantity } from '../../shared/quantity';
import type { Problem } from '../../shared/result';
import type { PaymentMethod } from '../../shared/tender';
import { FieldError, invalid } from '../components/FieldError';
import { useTexts } from '../i18n/lang-context';
import { errorFor, unplaced } from '../problems';
import { useShortcuts } from '../use-shortcuts';
import { TableHead } from '../components/TableHead';

const FIELDS = ['receiptNo', 'lines', 'method', 'reference', 'reason', 'managerPin'];

/**
 * Void a whole sale (same shift) or refund some of it, by receipt number,
 * with a manager's PIN. The till decides what is allowed; its refusals are
 * shown beside the field they are about.
 */
export function ReturnsScreen({
  api,
  initialReceiptNo,
  onBack,
  onChanged,
}: {
  api: PosApi;
  initialReceiptNo?: string;
  onBack(): void;
  onChanged(): void;
}) {
  const { t, money, quantity, name, problem: text } = useTexts();
  const [receiptNo, setReceiptNo] = useState(initialReceiptNo ?? '');
  const [sale, setSale] = useState<ReceiptView | null>(null);
  const [qty, setQty] = useState<Record<number, string>>({});
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const [reference, setReference] = useState('');
  const [reason, setReason] = useState('');
  const [pin, setPin] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  /** Which cart line each entry of the last refund request was, to place a `lines[i]` refusal. */
  const [sent, setSent] = useState<number[]>([]);

  useShortcuts({ Escape: onBack });

  async function find(no = receiptNo) {
    const r = await api['sale:lookup']({ receiptNo: no });
    if (!r.ok) {
      setSale(null);
      setProblem(r.error);
      return;
    }
    setSale(r.value);
    setReceiptNo(r.value.receiptNo);
    setQty({});
    setProblem(null);
  }

  useEffect(() => {
    if (initialReceiptNo) void find(initialReceiptNo);
  }, []); // Only the receipt the screen was opened with.

  function submitFind(e: FormEvent) {
    e.preventDefault();
    setDone(null);
    void find();
  }

  async function refund() {
    if (!sale) return;
    const lines: { lineNo: number; quantity: number }[] = [];
    for (const l of sale.lines) {
      const typed = (qty[l.lineNo] ?? '').trim();
      if (typed === '') continue;
      const q = parseQuantity(toLatinDigits(typed));
      if (q === null) {
        setSent([l.lineNo]);
        setProblem({ code: 'invalid-quantity', field: 'lines[0].quantity', reason: 'Enter a number like 1 or 0.500.' });
        return;
      }
      if (q > 0) lines.push({ lineNo: l.lineNo, quantity: q });
    }
    if (lines.length === 0) {
      setProblem({ code: 'invalid-lines', field: 'lines', reason: t('returns.nothing') });
      return;
    }
    setSent(lines.map((l) => l.lineNo));
    const r = await api['sale:refund']({
      receiptNo: sale.receiptNo,
      lines,
      method,
      reference: method === 'cash' ? null : reference,
      managerPin: pin,
      reason,
    });
    if (!r.ok) {
      setProblem(r.error);
      return;
    }
    setDone(t('returns.refunded', { amount: money(r.value.total), receipt: r.value.receiptNo }));
    setPin('');
    onChanged();
    await find(sale.receiptNo);
  }

  async function voidSale() {
    if (!sale) return;
    const r = await api['sale:void']({ receiptNo: sale.receiptNo, managerPin: pin, reason });
    if (!r.ok) {
      setProblem(r.error);
      return;
    }
    setDone(t('returns.voided', { receipt: r.value.receiptNo }));
    setPin('');
    onChanged();
    await find(sale.receiptNo);
  }

  const lineProblem = (lineNo: number): Problem | null => {
    const m = problem ? /^lines\[(\d+)\]/.exec(problem.field) : null;
    return m && sent[Number(m[1])] === lineNo ? problem : null;
  };
  const methods: PaymentMethod[] = sale
    ? ['cash', ...new Set(sale.payments.map((p) => p.method).filter((m) => m !== 'cash'))]
    : ['cash'];
  const general = unplaced(problem, FIELDS);
  return (
    <main className="returns-screen">
      <form className="card returns-find" onSubmit={submitFind} aria-labelledby="returns-title">
        <h1 id="returns-title">{t('returns.title')}</h1>
        <label htmlFor="receipt-no">{t('returns.receiptNo')}</label>
        <div className="inline">
          <input
            id="receipt-no"
            autoFocus
            autoComplete="off"
            placeholder="DHK01-2-000123"
            value={receiptNo}
            {...invalid('receipt-no-error', errorFor(problem, 'receiptNo'))}
            onChange={(e) => setReceiptNo(e.target.value.toUpperCase())}
          />
          <button type="submit">{t('returns.find')}</button>
        </div>
        <FieldError id="receipt-no-error" problem={errorFor(problem, 'receiptNo')} />
        <button type="button" className="back" onClick={onBack}>
          {t('action.back')} <kbd>Esc</kbd>
        </button>
      </form>
      {sale && (
        <section className="card returns-sale" aria-label={sale.receiptNo}>
          {done && (
            <p className="success" role="status">
              {done}
            </p>
          )}
          {general && (
            <p className="field-error" role="alert">
              {text(general)}
            </p>
          )}
          <p className="returns-head">
            <strong>{sale.receiptNo}</strong> · {money(sale.total)}
            {sale.voided && <span className="receipt-flag"> {t('receipt.voided')}</span>}
            {sale.refundedTotal > 0 && (
              <span>
                {' '}
                · {t('receipt.refunded')} {money(sale.refundedTotal)}
              </span>
            )}
          </p>
          <table className="cart">
            <TableHead
              columns={[
                ['sale.col.item'],
                ['returns.sold', 'num'],
                ['sale.col.amount', 'num'],
                ['returns.refundQty', 'num fit'],
              ]}
            />
            <tbody>
              {sale.lines.map((l) => {
                const left = l.quantity - l.refundedQuantity;
                const id = `refund-qty-${l.lineNo}`;
                return (
                  <tr key={l.lineNo}>
                    <td>{name(l)}</td>
                    <td className="num">
                      {quantity(l.quantity, l.unit)}
                      {l.refundedQuantity > 0 && (
                        <span className="muted note">
                          {t('receipt.refunded')} {quantity(l.refundedQuantity, l.unit)}
                        </span>
                      )}
                    </td>
                    <td className="num">{money(l.net)}</td>
                    <td className="num fit">
                      <input
                        id={id}
                        className="qty-input"
                        inputMode="decimal"
                        aria-label={`${t('returns.refundQty')}: ${name(l)}`}
                        disabled={left <= 0 || sale.voided}
                        value={qty[l.lineNo] ?? ''}
                        {...invalid(`${id}-error`, lineProblem(l.lineNo))}
                        onChange={(e) => setQty({ ...qty, [l.lineNo]: e.target.value })}
                      />
                      <FieldError id={`${id}-error`} problem={lineProblem(l.lineNo)} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <FieldError id="lines-error" problem={problem?.field === 'lines' ? problem : null} />
          <div className="returns-options">
            <fieldset className="segmented">
              <legend>{t('returns.method')}</legend>
              {methods.map((m) => (
                <label key={m} className={method === m ? 'on' : undefined}>
                  <input type="radio" name="refund-method" checked={method === m} onChange={() => setMethod(m)} />
                  {t(`tender.${m}`)}
                </label>
              ))}
            </fieldset>
            <button
              type="button"
              disabled={sale.voided}
              onClick={() =>
                setQty(
                  Object.fromEntries(
                    sale.lines.map((l) => [l.lineNo, String((l.quantity - l.refundedQuantity) / 1000)]),
                  ),
                )
              }
            >
              {t('returns.all')}
            </button>
          </div>
          <FieldError id="method-error" problem={errorFor(problem, 'method')} />
          {method !== 'cash' && (
            <>
              <label htmlFor="refund-reference">{t('returns.reference')}</label>
              <input
                id="refund-reference"
                value={reference}
                {...invalid('refund-reference-error', errorFor(problem, 'reference'))}
                onChange={(e) => setReference(e.target.value.toUpperCase())}
              />
              <FieldError id="refund-reference-error" problem={errorFor(problem, 'reference')} />
            </>
          )}
          <div className="two-col">
            <div>
              <label htmlFor="reason">{t('returns.reason')}</label>
              <input
                id="reason"
                value={reason}
                maxLength={200}
                {...invalid('reason-error', errorFor(problem, 'reason'))}
                onChange={(e) => setReason(e.target.value)}
              />
              <FieldError id="reason-error" problem={errorFor(problem, 'reason')} />
            </div>
            <div>
              <label htmlFor="manager-pin">{t('manager.pin')}</label>
              <input
                id="manager-pin"
                type="password"
                inputMode="numeric"
                autoComplete="off"
                value={pin}
                {...invalid('manager-pin-error', errorFor(problem, 'managerPin'))}
                onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
              />
              <FieldError id="manager-pin-error" problem={errorFor(problem, 'managerPin')} />
            </div>
          </div>
          <div className="dialog-actions">
            <button type="button" className="danger" disabled={sale.voided} onClick={() => void voidSale()}>
              {t('returns.void')}
            </button>
            <button type="button" className="primary" disabled={sale.voided} onClick={() => void refund()}>
              {t('returns.refund')}
            </button>
          </div>
        </section>
      )}
    </main>
  );
}
