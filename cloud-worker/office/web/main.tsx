import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api';
import { App, pageFromPath } from './App';
import './styles.css';

const LANG_KEY = 'haat.office.lang';
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <App
      client={createClient()}
      initialLang={window.localStorage.getItem(LANG_KEY) === 'bn' ? 'bn' : 'en'}
      initialPage={pageFromPath(window.location.pathname)}
      onLangChange={(lang) => window.localStorage.setItem(LANG_KEY, lang)}
      onPageChange={(page) => window.history.pushState(null, '', `/office/${page}`)}
    />
  </StrictMode>,
);
