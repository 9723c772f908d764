import { useCallback, useEffect, useState } from 'react';
import type { Lang } from '../../../shared/format';
import type { OfficeClient, OfficeUser } from './api';
import { LangProvider, translate, type MessageKey } from './i18n';
import { BranchesPage } from './pages/BranchesPage';
import { CustomersPage } from './pages/CustomersPage';
import { HealthPage } from './pages/HealthPage';
import { LoginPage } from './pages/LoginPage';
import { ProductsPage } from './pages/ProductsPage';
import { ReportsPage } from './pages/ReportsPage';
import { UsersPage } from './pages/UsersPage';

export const PAGES = ['reports', 'health', 'branches', 'products', 'customers', 'users'] as const;
export type Page = (typeof PAGES)[number];
const NAV: Record<Page, MessageKey> = {
  reports: 'nav.reports',
  health: 'nav.health',
  branches: 'nav.branches',
  products: 'nav.products',
  customers: 'nav.customers',
  users: 'nav.users',
};

export function pageFromPath(path: string): Page {
  const name = path.replace(/^\/office\/?/, '').split('/')[0];
  return (PAGES as readonly string[]).includes(name ?? '') ? (name as Page) : 'reports';
}

export interface AppProps {
  readonly client: OfficeClient;
  readonly initialLang: Lang;
  readonly initialPage: Page;
  readonly onLangChange?: (lang: Lang) => void;
  readonly onPageChange?: (page: Page) => void;
}

/** Head office's app: sign in, then one page at a time under a bar of pages. */
export function App({ client, initialLang, initialPage, onLangChange, onPageChange }: AppProps) {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [user, setUser] = useState<OfficeUser | null | undefined>(undefined);
  const [page, setPage] = useState<Page>(initialPage);
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(lang, key, params);

  useEffect(() => {
    client.me().then(setUser, () => setUser(null));
  }, [client]);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const go = useCallback(
    (next: Page) => {
      setPage(next);
      onPageChange?.(next);
    },
    [onPageChange],
  );

  function toggleLang() {
    const next = lang === 'en' ? 'bn' : 'en';
    setLang(next);
    onLangChange?.(next);
  }

  const langButton = (
    <button type="button" className="lang" onClick={toggleLang} aria-label={t('lang.toggleLabel')}>
      {t('lang.toggle')}
    </button>
  );

  if (user === undefined) return <p className="loading">{t('common.loading')}</p>;

  if (user === null) {
    return (
      <LangProvider lang={lang}>
        <LoginPage client={client} onSignedIn={setUser} langButton={langButton} />
      </LangProvider>
    );
  }

  const admin = user.role === 'admin';
  return (
    <LangProvider lang={lang}>
      <div className="office">
        <header className="topbar">
          <span className="brand">{t('app.name')}</span>
          <nav aria-label="Pages">
            {PAGES.map((p) => (
              <a
                key={p}
                href={`/office/${p}`}
                aria-current={p === page ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  go(p);
                }}
              >
                {t(NAV[p])}
              </a>
            ))}
          </nav>
          <span className="who">{t('nav.signedInAs', { email: user.email, role: t(`role.${user.role}`) })}</span>
          {langButton}
          <button
            type="button"
            onClick={() => {
              void client.logout().finally(() => setUser(null));
            }}
          >
            {t('nav.signOut')}
          </button>
        </header>
        <main className="page">
          {page === 'reports' && <ReportsPage client={client} />}
          {page === 'health' && <HealthPage client={client} admin={admin} />}
          {page === 'branches' && <BranchesPage client={client} admin={admin} />}
          {page === 'products' && <ProductsPage client={client} admin={admin} />}
          {page === 'customers' && <CustomersPage client={client} />}
          {page === 'users' && <UsersPage client={client} admin={admin} self={user.id} />}
        </main>
      </div>
    </LangProvider>
  );
}
