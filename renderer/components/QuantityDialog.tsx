import { type FormEvent, useState } from 'react';
import { toLatinDigits } from '../../shared/money';
import type { CartLineView, CartView, PosApi } from '../../shared/pos-api';
import { parseQuantity } from '../../shared/quantity';
import type { Problem } from '../../shared/result';
import { useTexts } from '../i18n/lang-context';
import { Dialog, DialogActions } from './Dialog';
import { FieldError, invalid } from './FieldError';

/** Quantity of a line: whole pieces, or kilograms to the gram for loose goods. */
export function QuantityDialog({
  api,
  line,
  onDone,
  onClose,
}: {
  api: PosApi;
  line: CartLineView;
  onDone(cart: CartView): void;
  onClose(): void;
}) {
  const { t, name } = useTexts();
  const [text, setText] = useState(
    line.unit === 'kg' ? (line.quantity / 1000).toFixed(3) : String(line.quantity / 1000),
  );
  const [problem, setProblem] = useState<Problem | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const quantity = parseQuantity(toLatinDigits(text));
    if (quantity === null) {
      setProblem({ code: 'invalid-quantity', field: 'quantity', reason: 'Enter a number like 2 or 1.250.' });
      return;
    }
    const r = await api['sale:setQuantity']({ lineNo: line.lineNo, quantity });
    if (r.ok) onDone(r.value);
    else setProblem(r.error);
  }

  return (
    <Dialog title={t('qty.title', { name: name(line) })} onClose={onClose}>
      <form onSubmit={submit}>
        <label htmlFor="qty">{line.unit === 'kg' ? t('qty.labelKg') : t('qty.label')}</label>
        <input
          id="qty"
          className="money-input"
          inputMode="decimal"
          value={text}
          onFocus={(e) => e.target.select()}
          {...invalid('qty-error', problem)}
          onChange={(e) => setText(e.target.value)}
        />
        <FieldError id="qty-error" problem={problem} />
        <DialogActions onCancel={onClose} />
      </form>
    </Dialog>
  );
}
