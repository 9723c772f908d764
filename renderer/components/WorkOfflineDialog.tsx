import { type FormEvent, useState } from 'react';
import type { PosApi, SyncStatusView } from '../../shared/pos-api';
import type { Problem } from '../../shared/result';
import { useTexts } from '../i18n/lang-context';
import { errorFor } from '../problems';
import { Dialog, DialogActions } from './Dialog';
import { FieldError, invalid } from './FieldError';

/**
 * Switching the till to Work offline: a manager approves with their PIN and
 * may say why. Head office sees who switched, when, and for how long.
 */
export function WorkOfflineDialog({
  api,
  onDone,
  onClose,
}: {
  api: PosApi;
  onDone(status: SyncStatusView): void;
  onClose(): void;
}) {
  const { t } = useTexts();
  const [pin, setPin] = useState('');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await api['sync:setOffline']({
      offline: true,
      managerPin: pin,
      ...(reason.trim() ? { reason: reason.trim() } : {}),
    });
    if (r.ok) onDone(r.value);
    else setProblem(r.error.field === 'reason' ? r.error : { ...r.error, field: 'managerPin' });
  }

  return (
    <Dialog title={t('offline.title')} onClose={onClose}>
      <form onSubmit={submit}>
        <p className="dialog-note">{t('offline.explain')}</p>
        <label htmlFor="offline-pin">{t('manager.pin')}</label>
        <input
          id="offline-pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          value={pin}
          {...invalid('offline-pin-error', errorFor(problem, 'managerPin'))}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
        />
        <FieldError id="offline-pin-error" problem={errorFor(problem, 'managerPin')} />
        <label htmlFor="offline-reason">{t('offline.reason')}</label>
        <input
          id="offline-reason"
          maxLength={200}
          value={reason}
          {...invalid('offline-reason-error', errorFor(problem, 'reason'))}
          onChange={(e) => setReason(e.target.value)}
        />
        <FieldError id="offline-reason-error" problem={errorFor(problem, 'reason')} />
        <DialogActions onCancel={onClose} />
      </form>
    </Dialog>
  );
}
