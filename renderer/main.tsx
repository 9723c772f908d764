import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { Lang } from '../shared/format';
import { App } from './App';
import { createHttpApi, ipcApi } from './api/transport';
import './styles.css';

const LANG_KEY = 'haat.lang';
const api = ipcApi() ?? createHttpApi({ storage: window.sessionStorage });
const saved = window.localStorage.getItem(LANG_KEY);
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <App
      api={api}
      initialLang={saved === 'bn' ? 'bn' : 'en'}
      onLangChange={(lang: Lang) => window.localStorage.setItem(LANG_KEY, lang)}
    />
  </StrictMode>,
);
