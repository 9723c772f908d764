import { useEffect, useState } from 'react';
import type { PosApi, ShiftCloseView } from '../../shared/pos-api';
import type { Problem } from '../../shared/result';
import { FieldError, invalid } from '../components/FieldError';
import { useTexts } from '../i18n/lang-context';
import { errorFor, unplaced } from '../problems';
import { useShortcuts } from '../use-shortcuts';
import { TableHead } from '../components/TableHead';

/** Counting the drawer note by note, against what the till expects, then the Z report. */
export function CloseShiftScreen({
  api,
  denominations,
  onClosed,
  onBack,
}: {
  api: PosApi;
  denominations: readonly number[];
  onClosed(view: ShiftCloseView): void;
  onBack(): void;
}) {
  const { t, money, problem: text } = useTexts();
  const [counts, setCounts] = useState<Record<string, string>>({});
  const [expected, setExpected] = useState<number | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useShortcuts({ Escape: onBack });

  useEffect(() => {
    void api['shift:summary']({}).then((r) => {
      if (r.ok) setExpected(r.value.expectedCash);
      else setProblem(r.error);
    });
  }, [api]);

  const parsed = Object.fromEntries(
    denominations.map((d) => [String(d), Number((counts[String(d)] ?? '').trim() || '0')]),
  );
  const counted = denominations.reduce(
    (s, d) => s + d * 100 * (Number.isFinite(parsed[String(d)]) ? parsed[String(d)]! : 0),
    0,
  );

  async function close() {
    for (const [key, n] of Object.entries(parsed)) {
      if (!Number.isSafeInteger(n) || n < 0) {
        setProblem({
          code: 'invalid-count',
          field: `denominations.${key}`,
          reason: 'A count is a whole number, 0 or more.',
        });
        return;
      }
    }
    const r = await api['shift:close']({ denominations: parsed });
    if (r.ok) onClosed(r.value);
    else setProblem(r.error);
  }

  const general = unplaced(
    problem,
    denominations.map((d) => `denominations.${d}`),
  );
  return (
    <main className="close-screen">
      <section className="card" aria-labelledby="close-title">
        <h1 id="close-title">{t('close.title')}</h1>
        {general && (
          <p className="field-error" role="alert">
            {text(general)}
          </p>
        )}
        <table className="denominations">
          <TableHead columns={[['close.denomination'], ['close.count', 'num'], ['close.value', 'num']]} />
          <tbody>
            {denominations.map((d, i) => {
              const key = String(d);
              const id = `count-${key}`;
              const err = errorFor(problem, `denominations.${key}`);
              return (
                <tr key={key}>
                  <th scope="row">
                    {/* Notes and coins are whole taka: no poisha on their names. */}
                    <label htmlFor={id}>{money(d * 100).slice(0, -3)}</label>
                  </th>
                  <td className="num">
                    <input
                      id={id}
                      className="qty-input"
                      inputMode="numeric"
                      autoFocus={i === 0}
                      value={counts[key] ?? ''}
                      placeholder="0"
                      {...invalid(`${id}-error`, err)}
                      onChange={(e) =>
                        setCounts({
                          ...counts,
                          [key]: e.target.value
                            .replace(/[^\d০-৯]/g, '')
                            .replace(/[০-৯]/g, (c) => String(c.charCodeAt(0) - 0x09e6)),
                        })
                      }
                      onKeyDown={(e) => {
                        if (e.key === 'Enter') {
                          e.preventDefault();
                          const next = document.getElementById(`count-${denominations[i + 1] ?? ''}`);
                          if (next) next.focus();
                          else void close();
                        }
                      }}
                    />
                    <FieldError id={`${id}-error`} problem={err} />
                  </td>
                  <td className="num">{money(d * 100 * (parsed[key] ?? 0))}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      <aside className="card close-side">
        <dl className="totals">
          <div>
            <dt>{t('close.expected')}</dt>
            <dd data-testid="expected-cash">{expected === null ? '…' : money(expected)}</dd>
          </div>
          <div>
            <dt>{t('close.counted')}</dt>
            <dd data-testid="counted-cash">{money(counted)}</dd>
          </div>
          {expected !== null && (
            <div className={`grand ${counted - expected < 0 ? 'short' : ''}`}>
              <dt>{t('close.difference')}</dt>
              <dd>{money(counted - expected)}</dd>
            </div>
          )}
        </dl>
        <button type="button" className="primary big" onClick={() => void close()}>
          {t('close.submit')}
        </button>
        <button type="button" onClick={onBack}>
          {t('action.back')} <kbd>Esc</kbd>
        </button>
      </aside>
    </main>
  );
}
