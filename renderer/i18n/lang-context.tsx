import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { formatDhakaTime, formatQuantity, formatTaka, type Lang } from '../../shared/format';
import type { Milli, Unit } from '../../shared/quantity';
import { type MessageKey, problemText, translate } from './messages';

export interface Texts {
  readonly lang: Lang;
  t(key: MessageKey, params?: Record<string, string | number>): string;
  money(amount: number): string;
  quantity(q: number, unit: Unit): string;
  time(epochMs: number): string;
  problem(p: { readonly code: string; readonly reason: string }): string;
  /** A product's name in the language shown. */
  name(item: { readonly nameEn: string; readonly nameBn: string }): string;
}

export function makeTexts(lang: Lang): Texts {
  return {
    lang,
    t: (key, params) => translate(lang, key, params),
    money: (amount) => formatTaka(amount, { lang }),
    quantity: (q, unit) => formatQuantity(q as Milli, unit, { lang }),
    time: (ms) => formatDhakaTime(ms, { lang }),
    problem: (p) => problemText(lang, p),
    name: (item) => (lang === 'bn' ? item.nameBn : item.nameEn),
  };
}

const TextsContext = createContext<Texts>(makeTexts('en'));

export function LangProvider({ lang, children }: { lang: Lang; children: ReactNode }) {
  const texts = useMemo(() => makeTexts(lang), [lang]);
  return <TextsContext.Provider value={texts}>{children}</TextsContext.Provider>;
}

export function useTexts(): Texts {
  return useContext(TextsContext);
}
