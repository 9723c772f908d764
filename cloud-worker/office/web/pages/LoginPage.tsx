import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, type OfficeClient, type OfficeUser } from '../api';
import { useTexts } from '../i18n';

export function LoginPage({
  client,
  onSignedIn,
  langButton,
}: {
  client: OfficeClient;
  onSignedIn: (user: OfficeUser) => void;
  langButton: ReactNode;
}) {
  const { t } = useTexts();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await client.login(email, password));
    } catch (err) {
      setPassword('');
      if (err instanceof ApiError && err.status === 429 && err.retryAfter !== null) {
        setError(t('login.retry', { seconds: err.retryAfter }));
      } else if (err instanceof ApiError) {
        setError(err.status === 0 ? t('error.network') : err.problem.reason);
      } else setError(String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="center-screen">
      <form className="card login" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <div className="login-head">
          <h1 id="login-title">{t('login.title')}</h1>
          {langButton}
        </div>
        <label>
          {t('login.email')}
          <input
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
            autoFocus
          />
        </label>
        <label>
          {t('login.password')}
          <input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'login-error' : undefined}
            required
          />
        </label>
        {error && (
          <p role="alert" id="login-error" className="error-note">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
    </div>
  );
}
