import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { toLatinDigits } from '../../shared/money';
import type { CartView, PosApi, ProductView } from '../../shared/pos-api';
import { parseQuantity } from '../../shared/quantity';
import type { Problem } from '../../shared/result';
import { useTexts } from '../i18n/lang-context';
import { FieldError } from './FieldError';

export interface ScanBoxHandle {
  focus(): void;
  /** Nothing typed: keys like Delete then act on the cart instead. */
  isEmpty(): boolean;
}

/** "8941100500019", "3*8941100500019", "1.25*2000000000017": a scan, optionally with a quantity. */
export function parseScan(text: string): { barcode: string; quantity?: number } | null {
  const latin = toLatinDigits(text.trim());
  const m = /^(?:(\d{1,6}(?:\.\d{1,3})?)\*)?([0-9A-Za-z-]{1,64})$/.exec(latin);
  if (!m || !/^\d/.test(m[2]!) || /[a-z]{2}/i.test(m[2]!)) return null;
  if (m[1] === undefined) return { barcode: m[2]! };
  const quantity = parseQuantity(m[1]);
  return quantity === null ? null : { barcode: m[2]!, quantity };
}

/** Text with a letter in it (English or Bangla) is a name to search for. */
function isSearch(text: string): boolean {
  return /[\p{L}]/u.test(text) && parseScan(text) === null;
}

export interface ScanBoxProps {
  readonly api: PosApi;
  readonly disabled?: boolean;
  /** What the scanner already typed on the previous screen. */
  readonly initialText?: string;
  onCart(cart: CartView, added: 'scan' | 'search'): void;
  /** Arrow keys move through the cart when there is nothing to choose here. */
  onArrow?(direction: -1 | 1): void;
}

/**
 * The one field a cashier types into: a scanner types digits then Enter; a
 * name typed in English or Bangla lists matches at once, ↑↓ and Enter to add.
 * Refusals (an unknown barcode) are said here and leave the cart alone.
 */
export const ScanBox = forwardRef<ScanBoxHandle, ScanBoxProps>(function ScanBox(
  { api, disabled, initialText, onCart, onArrow },
  ref,
) {
  const { t, money, name, lang } = useTexts();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(initialText ?? '');
  const [results, setResults] = useState<readonly ProductView[]>([]);
  const [active, setActive] = useState(0);
  const [problem, setProblem] = useState<Problem | null>(null);
  const searchSeq = useRef(0);
  const queue = useRef<Promise<void>>(Promise.resolve());
  useImperativeHandle(ref, () => ({ focus: () => input.current?.focus(), isEmpty: () => text === '' }), [text]);

  const searching = isSearch(text);
  useEffect(() => {
    const seq = ++searchSeq.current;
    if (!searching) {
      setResults([]);
      return;
    }
    void api['sale:search']({ query: text.trim(), limit: 8 }).then((r) => {
      if (seq !== searchSeq.current) return;
      setResults(r.ok ? r.value : []);
      setActive(0);
    });
  }, [api, text, searching]);

  async function add(product: ProductView) {
    const r = await api['sale:add']({ productId: product.id });
    setText('');
    if (r.ok) {
      setProblem(null);
      onCart(r.value, 'search');
    } else setProblem(r.error);
  }

  async function submit() {
    if (searching) {
      const product = results[active];
      if (product) await add(product);
      return;
    }
    const scan = parseScan(text);
    if (!scan) {
      if (text.trim() !== '')
        setProblem({ code: 'invalid-barcode', field: 'barcode', reason: 'A barcode is 1–64 letters or digits.' });
      return;
    }
    setText('');
    // A scanner can send the next code before the till answered the last:
    // scans go to the till one after another, so the cart shown is the latest.
    queue.current = queue.current.then(async () => {
      const r = await api['sale:scan'](scan);
      if (r.ok) {
        setProblem(null);
        onCart(r.value, 'scan');
      } else setProblem(r.error);
    });
    await queue.current;
  }

  const listId = 'scan-results';
  const activeId = results[active] ? `scan-result-${results[active].id}` : undefined;
  return (
    <div className="scanbox">
      <label htmlFor="scan">{t('sale.scanLabel')}</label>
      <input
        ref={input}
        id="scan"
        className="scan-input"
        autoFocus
        autoComplete="off"
        spellCheck={false}
        disabled={disabled}
        value={text}
        role="combobox"
        aria-expanded={searching && results.length > 0}
        aria-controls={listId}
        aria-activedescendant={searching ? activeId : undefined}
        aria-describedby={problem ? 'scan-error' : 'scan-hint'}
        aria-invalid={problem ? true : undefined}
        onChange={(e) => {
          setText(e.target.value);
          setProblem(null);
        }}
        onBlur={() => {
          // The scanner types wherever focus is: bring it back unless the cashier moved to another field.
          setTimeout(() => {
            const el = document.activeElement;
            if (!disabled && (!el || el === document.body)) input.current?.focus();
          }, 0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            void submit();
          } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            const dir = e.key === 'ArrowDown' ? 1 : -1;
            e.preventDefault();
            if (searching && results.length > 0) setActive((a) => (a + dir + results.length) % results.length);
            else onArrow?.(dir);
          } else if (e.key === 'Escape' && text !== '') {
            e.stopPropagation();
            e.preventDefault();
            setText('');
          }
        }}
      />
      <p id="scan-hint" className="hint">
        {t('sale.scanHint')}
      </p>
      <FieldError id="scan-error" problem={problem} />
      {searching && (
        <ul id={listId} className="results" role="listbox" aria-label={t('sale.results')}>
          {results.length === 0 && <li className="muted">{t('sale.noResults', { q: text.trim() })}</li>}
          {results.map((p, i) => (
            <li
              key={p.id}
              id={`scan-result-${p.id}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                void add(p);
              }}
            >
              <span className="result-name">{name(p)}</span>
              <span className="result-other" lang={lang === 'bn' ? 'en' : 'bn'}>
                {name({ nameEn: p.nameBn, nameBn: p.nameEn })}
              </span>
              <span className="result-price">
                {money(p.price)}
                {p.unit === 'kg' ? ' / kg' : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
});
