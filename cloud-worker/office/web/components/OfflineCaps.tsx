import { useState, type FormEvent } from 'react';
import type { BranchSettings } from '../../../../shared/settings';
import { ApiError, type OfficeClient } from '../api';
import { type MessageKey, useTexts } from '../i18n';
import { ErrorNote } from './ErrorNote';

const CAPS = [
  ['offlineCardPerSaleTaka', 'caps.cardPerSale'],
  ['offlineCardPerDayTaka', 'caps.cardPerDay'],
  ['offlineMobilePerSaleTaka', 'caps.mobilePerSale'],
  ['offlineMobilePerDayTaka', 'caps.mobilePerDay'],
] as const satisfies readonly (readonly [keyof BranchSettings, MessageKey])[];

type CapKey = (typeof CAPS)[number][0];

const asText = (v: number | null) => (v === null ? '' : String(v));

/**
 * The branch's caps on card and mobile money its tills take while offline,
 * in whole taka; empty is no cap. The tills get them on their next pull.
 */
export function OfflineCaps({
  client,
  branch,
  settings,
  admin,
  onChanged,
}: {
  client: OfficeClient;
  branch: string;
  settings: BranchSettings;
  admin: boolean;
  onChanged: () => void;
}) {
  const { t, count } = useTexts();
  const [form, setForm] = useState<Record<CapKey, string>>(
    () => Object.fromEntries(CAPS.map(([k]) => [k, asText(settings[k])])) as Record<CapKey, string>,
  );
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  async function save(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    const caps: Partial<Record<CapKey, number | null>> = {};
    for (const [key, label] of CAPS) {
      const text = form[key].replace(/[,\s৳]/g, '');
      if (text !== '' && !/^\d+$/.test(text)) {
        setError(new ApiError(400, { code: 'invalid-field', field: t(label), reason: t('caps.wholeTaka') }));
        return;
      }
      caps[key] = text === '' ? null : Number(text);
    }
    try {
      await client.send('PUT', `/v1/admin/branches/${branch}/settings`, { settings: { ...settings, ...caps } });
      setError(null);
      setSaved(true);
      onChanged();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <form className="offline-caps" onSubmit={(e) => void save(e)} aria-labelledby={`caps-${branch}`}>
      <h3 id={`caps-${branch}`}>{t('caps.title')}</h3>
      <p className="muted">{t('caps.hint')}</p>
      <div className="caps-grid">
        {CAPS.map(([key, label]) => (
          <label key={key}>
            {t(label)}
            {admin ? (
              <input
                inputMode="numeric"
                placeholder={t('caps.none')}
                value={form[key]}
                onChange={(e) => setForm({ ...form, [key]: e.target.value })}
              />
            ) : (
              <output>{settings[key] === null ? t('caps.none') : `৳${count(settings[key])}`}</output>
            )}
          </label>
        ))}
      </div>
      {admin && (
        <div className="form-actions">
          <button type="submit" className="primary">
            {t('common.save')}
          </button>
          {saved && <span role="status">{t('common.saved')}</span>}
        </div>
      )}
      <ErrorNote error={error} />
    </form>
  );
}
