import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { ProvisioningBundle } from '../../../../shared/wire/provisioning';
import type { OfficeClient } from '../api';
import { branchSettingsSchema } from '../../../../shared/settings';
import { ErrorNote } from '../components/ErrorNote';
import { OfflineCaps } from '../components/OfflineCaps';
import { useResource } from '../use-resource';
import { useTexts } from '../i18n';

interface Staff {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly role: 'cashier' | 'manager';
  readonly active: boolean;
}
interface Branch {
  readonly code: string;
  readonly nameEn: string;
  readonly nameBn: string;
  readonly tills: { till: number; createdAt: number; revokedAt: number | null }[];
  readonly staff: Staff[];
  readonly settings: unknown;
}

/** Offers the bundle as a file; it lives only in this page's memory until the dialog closes. */
function BundleDialog({ bundle, onClose }: { bundle: ProvisioningBundle; onClose: () => void }) {
  const { t, digits } = useTexts();
  const [url] = useState(() =>
    URL.createObjectURL(new Blob([JSON.stringify(bundle, null, 2)], { type: 'application/json' })),
  );
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return (
    <div className="dialog-backdrop">
      <div role="dialog" aria-modal="true" aria-labelledby="bundle-title" className="card dialog">
        <h2 id="bundle-title">
          {t('branches.bundleTitle', { branch: bundle.branch, till: digits(String(bundle.till)) })}
        </h2>
        <p>{t('branches.bundleOnce')}</p>
        <div className="form-actions">
          <a className="button primary" href={url} download={`haat-${bundle.branch}-${bundle.till}.provisioning.json`}>
            {t('branches.download')}
          </a>
          <button type="button" onClick={onClose}>
            {t('common.close')}
          </button>
        </div>
      </div>
    </div>
  );
}

function StaffRow({
  client,
  branch,
  s,
  admin,
  onChanged,
}: {
  client: OfficeClient;
  branch: string;
  s: Staff;
  admin: boolean;
  onChanged: () => void;
}) {
  const { t } = useTexts();
  const [pin, setPin] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function save(change: Partial<Staff> & { pin?: string }) {
    try {
      await client.send('PUT', `/v1/admin/branches/${branch}/staff/${s.id}`, {
        code: s.code,
        name: s.name,
        role: s.role,
        active: s.active,
        ...change,
      });
      setPin(null);
      setError(null);
      onChanged();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <tr data-staff={s.code} className={s.active ? '' : 'inactive'}>
      <td>{s.code}</td>
      <td>{s.name}</td>
      <td>{s.role === 'manager' ? t('branches.manager') : t('branches.cashier')}</td>
      <td>{s.active ? t('common.yes') : t('common.no')}</td>
      {admin && (
        <td>
          <div className="actions">
            {pin === null ? (
              <button type="button" className="small" onClick={() => setPin('')}>
                {t('branches.resetPin')}
              </button>
            ) : (
              <form
                className="inline"
                onSubmit={(e) => {
                  e.preventDefault();
                  void save({ pin });
                }}
              >
                <input
                  aria-label={t('branches.newPin')}
                  value={pin}
                  onChange={(e) => setPin(e.target.value)}
                  inputMode="numeric"
                  autoComplete="off"
                  size={8}
                />
                <button type="submit" className="small primary">
                  {t('common.save')}
                </button>
              </form>
            )}
            <button type="button" className="small" onClick={() => void save({ active: !s.active })}>
              {s.active ? t('branches.deactivate') : t('branches.activate')}
            </button>
          </div>
          <ErrorNote error={error} />
        </td>
      )}
    </tr>
  );
}

function BranchCard({
  client,
  branch,
  admin,
  onChanged,
  onBundle,
}: {
  client: OfficeClient;
  branch: Branch;
  admin: boolean;
  onChanged: () => void;
  onBundle: (b: ProvisioningBundle) => void;
}) {
  const { t, time, digits, lang } = useTexts();
  const [till, setTill] = useState('');
  const [staff, setStaff] = useState({ code: '', name: '', role: 'cashier', pin: '' });
  const [error, setError] = useState<unknown>(null);

  async function addTill(e: FormEvent) {
    e.preventDefault();
    try {
      onBundle(
        await client.send<ProvisioningBundle>('POST', `/v1/admin/branches/${branch.code}/tills`, {
          till: Number(till),
        }),
      );
      setTill('');
      setError(null);
      onChanged();
    } catch (err) {
      setError(err);
    }
  }

  async function revoke(n: number) {
    if (!window.confirm(t('branches.revokeConfirm', { till: n }))) return;
    try {
      await client.send('POST', `/v1/admin/branches/${branch.code}/tills/${n}/revoke`);
      onChanged();
    } catch (err) {
      setError(err);
    }
  }

  async function addStaff(e: FormEvent) {
    e.preventDefault();
    try {
      await client.send('PUT', `/v1/admin/branches/${branch.code}/staff/${crypto.randomUUID()}`, {
        ...staff,
        active: true,
      });
      setStaff({ code: '', name: '', role: 'cashier', pin: '' });
      setError(null);
      onChanged();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <article className="card" data-branch={branch.code}>
      <h2>
        {branch.code} · {lang === 'bn' && branch.nameBn ? branch.nameBn : branch.nameEn}
      </h2>
      <div className="two-col">
        <div>
          <h3>{t('branches.tills')}</h3>
          <ul className="tills">
            {branch.tills.map((x) => (
              <li key={x.till} className={x.revokedAt ? 'inactive' : ''}>
                <span>
                  {t('health.col.till')} {digits(String(x.till))}
                </span>
                {x.revokedAt ? (
                  <span className="muted">{t('branches.revoked', { time: time(x.revokedAt) })}</span>
                ) : (
                  admin && (
                    <button type="button" className="small danger" onClick={() => void revoke(x.till)}>
                      {t('branches.revoke')}
                    </button>
                  )
                )}
              </li>
            ))}
          </ul>
          {admin && (
            <form className="inline" onSubmit={(e) => void addTill(e)}>
              <label>
                {t('branches.tillNo')}
                <input value={till} onChange={(e) => setTill(e.target.value)} inputMode="numeric" size={3} required />
              </label>
              <button type="submit">{t('branches.addTill')}</button>
            </form>
          )}
        </div>
        <div>
          <h3>{t('branches.staff')}</h3>
          <table>
            <thead>
              <tr>
                <th>{t('branches.staffCode')}</th>
                <th>{t('branches.staffName')}</th>
                <th>{t('branches.staffRole')}</th>
                <th>{t('branches.staffActive')}</th>
                {admin && <th>{t('common.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {branch.staff.map((s) => (
                <StaffRow key={s.id} client={client} branch={branch.code} s={s} admin={admin} onChanged={onChanged} />
              ))}
            </tbody>
          </table>
          {admin && (
            <form className="inline" onSubmit={(e) => void addStaff(e)} aria-label={t('branches.addStaff')}>
              <input
                aria-label={t('branches.staffCode')}
                placeholder={t('branches.staffCode')}
                value={staff.code}
                size={6}
                onChange={(e) => setStaff({ ...staff, code: e.target.value })}
                required
              />
              <input
                aria-label={t('branches.staffName')}
                placeholder={t('branches.staffName')}
                value={staff.name}
                onChange={(e) => setStaff({ ...staff, name: e.target.value })}
                required
              />
              <select
                aria-label={t('branches.staffRole')}
                value={staff.role}
                onChange={(e) => setStaff({ ...staff, role: e.target.value })}
              >
                <option value="cashier">{t('branches.cashier')}</option>
                <option value="manager">{t('branches.manager')}</option>
              </select>
              <input
                aria-label={t('branches.pin')}
                placeholder={t('branches.pin')}
                value={staff.pin}
                size={10}
                inputMode="numeric"
                autoComplete="off"
                onChange={(e) => setStaff({ ...staff, pin: e.target.value })}
                required
              />
              <button type="submit">{t('branches.addStaff')}</button>
            </form>
          )}
        </div>
      </div>
      <OfflineCaps
        client={client}
        branch={branch.code}
        settings={branchSettingsSchema.parse(branch.settings ?? {})}
        admin={admin}
        onChanged={onChanged}
      />
      <ErrorNote error={error} />
    </article>
  );
}

/** Branches with their tills and staff; an admin adds and revokes tills, adds staff, resets PINs. */
export function BranchesPage({ client, admin }: { client: OfficeClient; admin: boolean }) {
  const { t } = useTexts();
  const [bundle, setBundle] = useState<ProvisioningBundle | null>(null);
  const [form, setForm] = useState({ code: '', nameEn: '', nameBn: '' });
  const { data, error, reload, act } = useResource(
    useCallback(() => client.get<{ branches: Branch[] }>('/v1/office/branches'), [client]),
  );
  const branches = data?.branches;

  async function addBranch(e: FormEvent) {
    e.preventDefault();
    const done = await act(() =>
      client.send('POST', '/v1/admin/branches', { ...form, code: form.code.trim().toUpperCase() }),
    );
    if (done) setForm({ code: '', nameEn: '', nameBn: '' });
  }

  return (
    <section aria-labelledby="branches-title">
      <div className="page-head">
        <h1 id="branches-title">{t('branches.title')}</h1>
      </div>
      {admin && (
        <form className="card inline" onSubmit={(e) => void addBranch(e)} aria-label={t('branches.new')}>
          <label>
            {t('branches.code')}
            <input value={form.code} onChange={(e) => setForm({ ...form, code: e.target.value })} size={8} required />
          </label>
          <label>
            {t('branches.nameEn')}
            <input value={form.nameEn} onChange={(e) => setForm({ ...form, nameEn: e.target.value })} required />
          </label>
          <label>
            {t('branches.nameBn')}
            <input value={form.nameBn} onChange={(e) => setForm({ ...form, nameBn: e.target.value })} lang="bn" />
          </label>
          <button type="submit" className="primary">
            {t('branches.create')}
          </button>
        </form>
      )}
      <ErrorNote error={error} />
      {branches?.map((b) => (
        <BranchCard
          key={b.code}
          client={client}
          branch={b}
          admin={admin}
          onChanged={() => void reload()}
          onBundle={setBundle}
        />
      ))}
      {bundle && <BundleDialog bundle={bundle} onClose={() => setBundle(null)} />}
    </section>
  );
}
