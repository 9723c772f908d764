import { type FormEvent, useState } from 'react';
import type { PosApi, SessionView, TillInfo } from '../../shared/pos-api';
import type { Problem } from '../../shared/result';
import { FieldError, invalid } from '../components/FieldError';
import { useTexts } from '../i18n/lang-context';

/** A cashier signs in with a PIN, on the keyboard or the touch pad. */
export function LoginScreen({
  api,
  info,
  onSignedIn,
}: {
  api: PosApi;
  info: TillInfo;
  onSignedIn(s: SessionView): void;
}) {
  const { t } = useTexts();
  const [pin, setPin] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e?: FormEvent) {
    e?.preventDefault();
    if (busy) return;
    setBusy(true);
    const r = await api['session:login']({ pin });
    setBusy(false);
    setPin('');
    if (r.ok) onSignedIn(r.value);
    else setProblem(r.error);
  }

  const press = (d: string) => setPin((p) => (p.length < 8 ? p + d : p));
  return (
    <main className="center-screen">
      <form className="card login" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">
          {t('login.title')} · {info.branch}-{info.till}
        </h1>
        <label htmlFor="pin">{t('login.pin')}</label>
        <input
          id="pin"
          className="pin-input"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          autoFocus
          maxLength={8}
          value={pin}
          {...invalid('pin-error', problem)}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
        />
        <FieldError id="pin-error" problem={problem} />
        <div className="pin-pad" role="group" aria-label={t('login.pad')}>
          {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => (
            <button key={d} type="button" onClick={() => press(d)}>
              {d}
            </button>
          ))}
          <button type="button" onClick={() => setPin('')}>
            {t('login.clear')}
          </button>
          <button type="button" onClick={() => press('0')}>
            0
          </button>
          <button type="button" aria-label={t('login.back')} onClick={() => setPin((p) => p.slice(0, -1))}>
            ⌫
          </button>
        </div>
        <button type="submit" className="primary big" disabled={pin.length < 4 || busy}>
          {t('login.submit')}
        </button>
      </form>
    </main>
  );
}
