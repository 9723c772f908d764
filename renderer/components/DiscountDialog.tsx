import { type FormEvent, useState } from 'react';
import { parseTaka, toLatinDigits } from '../../shared/money';
import type { CartLineView, CartView, PosApi } from '../../shared/pos-api';
import type { Problem } from '../../shared/result';
import { useTexts } from '../i18n/lang-context';
import { errorFor } from '../problems';
import { Dialog, DialogActions } from './Dialog';
import { FieldError, invalid } from './FieldError';

/** "10", "12.5" → basis points; null when not a percentage. */
export function parsePercent(text: string): number | null {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(toLatinDigits(text.trim()).replace('%', ''));
  if (!m) return null;
  const bps = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bps <= 10_000 ? bps : null;
}

/**
 * A discount on one line, or on the whole cart. Above the branch's limit the
 * till asks for a manager's PIN; the dialog then shows the PIN field and
 * sends the discount again with it.
 */
export function DiscountDialog({
  api,
  line,
  onDone,
  onClose,
}: {
  api: PosApi;
  /** Absent for a cart discount. */
  line?: CartLineView;
  onDone(cart: CartView): void;
  onClose(): void;
}) {
  const { t, name } = useTexts();
  const [kind, setKind] = useState<'amount' | 'percent'>('amount');
  const [text, setText] = useState('');
  const [pin, setPin] = useState('');
  const [needsPin, setNeedsPin] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const value = kind === 'amount' ? parseTaka(text || '0') : parsePercent(text || '0');
    if (value === null || value < 0) {
      setProblem({ code: 'invalid-discount', field: 'value', reason: 'Enter a discount like 20 or 12.5.' });
      return;
    }
    const managerPin = needsPin && pin ? { managerPin: pin } : {};
    const base = kind === 'amount' ? { amount: value } : { percentBps: value };
    const r = line
      ? await api['sale:lineDiscount']({ lineNo: line.lineNo, ...base, ...managerPin })
      : await api['sale:cartDiscount']({ ...base, ...managerPin });
    if (r.ok) {
      onDone(r.value);
      return;
    }
    if (r.error.code === 'manager-approval-required' || r.error.field === 'managerPin') {
      setNeedsPin(true);
      setProblem({ ...r.error, field: 'managerPin' });
    } else {
      setProblem({ ...r.error, field: 'value' });
    }
  }

  return (
    <Dialog title={line ? t('discount.lineTitle', { name: name(line) }) : t('discount.cartTitle')} onClose={onClose}>
      <form onSubmit={submit}>
        <fieldset className="segmented">
          <legend>{t('discount.kind')}</legend>
          {(['amount', 'percent'] as const).map((k) => (
            <label key={k} className={kind === k ? 'on' : undefined}>
              <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
              {t(k === 'amount' ? 'discount.amount' : 'discount.percent')}
            </label>
          ))}
        </fieldset>
        <label htmlFor="discount-value">{t('discount.value')}</label>
        <input
          id="discount-value"
          className="money-input"
          inputMode="decimal"
          value={text}
          {...invalid('discount-error', errorFor(problem, 'value'))}
          onChange={(e) => setText(e.target.value)}
        />
        <FieldError id="discount-error" problem={errorFor(problem, 'value')} />
        {needsPin && (
          <>
            <label htmlFor="discount-pin">{t('manager.pin')}</label>
            <input
              id="discount-pin"
              type="password"
              inputMode="numeric"
              autoComplete="off"
              autoFocus
              value={pin}
              {...invalid('discount-pin-error', errorFor(problem, 'managerPin'))}
              onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
            />
            <FieldError id="discount-pin-error" problem={errorFor(problem, 'managerPin')} />
          </>
        )}
        <DialogActions onCancel={onClose} />
      </form>
    </Dialog>
  );
}
