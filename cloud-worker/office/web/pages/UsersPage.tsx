import { useCallback, useState, type FormEvent } from 'react';
import type { OfficeClient } from '../api';
import { ErrorNote } from '../components/ErrorNote';
import { useResource } from '../use-resource';
import { useTexts } from '../i18n';

interface User {
  readonly id: string;
  readonly email: string;
  readonly role: 'admin' | 'viewer';
  readonly active: boolean;
}

/** Head office's own logins: an admin adds them, changes their role or switches them off. */
export function UsersPage({ client, admin, self }: { client: OfficeClient; admin: boolean; self: string }) {
  const { t } = useTexts();
  const [form, setForm] = useState({ email: '', password: '', role: 'viewer' });
  const { data, error, act } = useResource(
    useCallback(() => client.get<{ users: User[] }>('/v1/office/users'), [client]),
  );
  const users = data?.users ?? [];

  const change = (id: string, body: Partial<User>) => act(() => client.send('PATCH', `/v1/admin/users/${id}`, body));

  async function add(e: FormEvent) {
    e.preventDefault();
    if (await act(() => client.send('POST', '/v1/admin/users', form))) {
      setForm({ email: '', password: '', role: 'viewer' });
    }
  }

  return (
    <section aria-labelledby="users-title">
      <div className="page-head">
        <h1 id="users-title">{t('users.title')}</h1>
      </div>
      <ErrorNote error={error} />
      <div className="card table-wrap">
        <table>
          <thead>
            <tr>
              <th>{t('users.email')}</th>
              <th>{t('users.role')}</th>
              <th>{t('users.active')}</th>
              {admin && <th>{t('common.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} className={u.active ? '' : 'inactive'}>
                <td>{u.email}</td>
                <td>{t(`role.${u.role}`)}</td>
                <td>{u.active ? t('common.yes') : t('common.no')}</td>
                {admin && (
                  <td>
                    <div className="actions">
                      {u.id !== self && (
                        <>
                          <button
                            type="button"
                            className="small"
                            onClick={() => void change(u.id, { role: u.role === 'admin' ? 'viewer' : 'admin' })}
                          >
                            {t(u.role === 'admin' ? 'users.makeViewer' : 'users.makeAdmin')}
                          </button>
                          <button
                            type="button"
                            className="small"
                            onClick={() => void change(u.id, { active: !u.active })}
                          >
                            {u.active ? t('branches.deactivate') : t('branches.activate')}
                          </button>
                        </>
                      )}
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {admin && (
        <form className="card inline" onSubmit={(e) => void add(e)} aria-label={t('users.add')}>
          <label>
            {t('users.email')}
            <input
              type="email"
              value={form.email}
              onChange={(e) => setForm({ ...form, email: e.target.value })}
              required
            />
          </label>
          <label>
            {t('users.password')}
            <input
              type="password"
              autoComplete="new-password"
              value={form.password}
              onChange={(e) => setForm({ ...form, password: e.target.value })}
              required
            />
          </label>
          <label>
            {t('users.role')}
            <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value })}>
              <option value="viewer">{t('role.viewer')}</option>
              <option value="admin">{t('role.admin')}</option>
            </select>
          </label>
          <button type="submit" className="primary">
            {t('users.add')}
          </button>
        </form>
      )}
    </section>
  );
}
