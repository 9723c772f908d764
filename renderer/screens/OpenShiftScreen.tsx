import { type FormEvent, useState } from 'react';
import { parseTaka } from '../../shared/money';
import type { PosApi } from '../../shared/pos-api';
import type { Problem } from '../../shared/result';
import { FieldError, invalid } from '../components/FieldError';
import { useTexts } from '../i18n/lang-context';

export function OpenShiftScreen({ api, onOpened }: { api: PosApi; onOpened(): void }) {
  const { t } = useTexts();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const amount = parseTaka(text || '0');
    if (amount === null || amount < 0) {
      setProblem({ code: 'invalid-amount', field: 'openingFloat', reason: 'Enter the cash in the drawer, e.g. 2000.' });
      return;
    }
    const r = await api['shift:open']({ openingFloat: amount });
    if (r.ok) onOpened();
    else setProblem(r.error);
  }

  return (
    <main className="center-screen">
      <form className="card" onSubmit={submit} aria-labelledby="open-title">
        <h1 id="open-title">{t('shift.openTitle')}</h1>
        <label htmlFor="float">{t('shift.float')}</label>
        <input
          id="float"
          className="money-input"
          inputMode="decimal"
          autoFocus
          placeholder="0.00"
          value={text}
          {...invalid('float-error', problem)}
          onChange={(e) => setText(e.target.value)}
        />
        <FieldError id="float-error" problem={problem} />
        <button type="submit" className="primary big">
          {t('shift.open')}
        </button>
      </form>
    </main>
  );
}
