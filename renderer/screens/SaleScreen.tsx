import { useEffect, useRef, useState } from 'react';
import type { CartView, PosApi, RecentSaleView } from '../../shared/pos-api';
import type { Problem } from '../../shared/result';
import { CartTable } from '../components/CartTable';
import { DiscountDialog } from '../components/DiscountDialog';
import { QuantityDialog } from '../components/QuantityDialog';
import { RecentSales } from '../components/RecentSales';
import { ScanBox, type ScanBoxHandle } from '../components/ScanBox';
import { Totals } from '../components/Totals';
import { useTexts } from '../i18n/lang-context';
import { useShortcuts } from '../use-shortcuts';

type Open =
  { kind: 'qty'; lineNo: number } | { kind: 'lineDiscount'; lineNo: number } | { kind: 'cartDiscount' } | null;

export interface SaleScreenProps {
  readonly api: PosApi;
  readonly cart: CartView;
  readonly recent: readonly RecentSaleView[];
  readonly initialScan?: string;
  onCart(cart: CartView): void;
  onPay(): void;
  onReturns(receiptNo?: string): void;
  onCloseShift(): void;
}

/** Ringing up: the scan field, the cart, the totals, and a key for every frequent action. */
export function SaleScreen({
  api,
  cart,
  recent,
  initialScan,
  onCart,
  onPay,
  onReturns,
  onCloseShift,
}: SaleScreenProps) {
  const { t, problem: problemText } = useTexts();
  const scan = useRef<ScanBoxHandle>(null);
  const [selected, setSelected] = useState<number | null>(cart.lines.at(-1)?.lineNo ?? null);
  const [open, setOpen] = useState<Open>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const line = cart.lines.find((l) => l.lineNo === selected) ?? cart.lines.at(-1);

  useEffect(() => {
    if (!open) scan.current?.focus();
  }, [open]);

  // Whatever was clicked last (a header button, the Work offline switch), a
  // scanner's digits still land in the scan field.
  useEffect(() => {
    if (open) return;
    const onKey = (e: KeyboardEvent) => {
      const el = document.activeElement;
      const typing = el instanceof HTMLInputElement && el.type !== 'checkbox' && el.type !== 'radio';
      if (e.key.length === 1 && !e.ctrlKey && !e.altKey && !e.metaKey && !typing) scan.current?.focus();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [open]);

  function updated(next: CartView) {
    onCart(next);
    setProblem(null);
    if (!next.lines.some((l) => l.lineNo === selected)) setSelected(next.lines.at(-1)?.lineNo ?? null);
  }

  const hasLines = cart.lines.length > 0;
  const actions = {
    qty: hasLines && line ? () => setOpen({ kind: 'qty', lineNo: line.lineNo }) : undefined,
    lineDiscount: hasLines && line ? () => setOpen({ kind: 'lineDiscount', lineNo: line.lineNo }) : undefined,
    cartDiscount: hasLines ? () => setOpen({ kind: 'cartDiscount' }) : undefined,
    remove:
      hasLines && line
        ? async () => {
            const r = await api['sale:removeLine']({ lineNo: line.lineNo });
            if (r.ok) updated(r.value);
            else setProblem(r.error);
          }
        : undefined,
    cancel: hasLines
      ? async () => {
          const r = await api['sale:cancel']({});
          if (r.ok) updated(r.value);
        }
      : undefined,
    pay: hasLines ? onPay : undefined,
  };

  useShortcuts(
    {
      F2: () => scan.current?.focus(),
      F3: actions.qty,
      F4: actions.lineDiscount,
      F6: actions.cartDiscount,
      F8: () => onReturns(),
      F9: actions.pay,
      F10: onCloseShift,
      Delete: actions.remove && (() => (scan.current?.isEmpty() === false ? false : void actions.remove?.())),
      'Ctrl+Delete': actions.cancel,
    },
    open === null,
  );

  const dialogLine =
    open && open.kind !== 'cartDiscount' ? cart.lines.find((l) => l.lineNo === open.lineNo) : undefined;
  return (
    <main className="sale-screen">
      <section className="sale-main" aria-label={t('sale.cart')}>
        <ScanBox
          ref={scan}
          api={api}
          disabled={open !== null}
          {...(initialScan ? { initialText: initialScan } : {})}
          onCart={(next, how) => {
            updated(next);
            const added = next.lines.at(-1);
            setSelected(added?.lineNo ?? null);
            // Loose goods are sold by weight: ask for it straight away.
            if (added && added.unit === 'kg' && how === 'search') setOpen({ kind: 'qty', lineNo: added.lineNo });
          }}
          onArrow={(dir) => {
            const i = cart.lines.findIndex((l) => l.lineNo === line?.lineNo);
            const next = cart.lines[Math.min(cart.lines.length - 1, Math.max(0, i + dir))];
            if (next) setSelected(next.lineNo);
          }}
        />
        {problem && (
          <p className="field-error" role="alert">
            {problemText(problem)}
          </p>
        )}
        <div className="cart-wrap">
          <CartTable cart={cart} selected={line?.lineNo ?? null} onSelect={setSelected} />
        </div>
      </section>
      <aside className="sale-side">
        <Totals cart={cart} />
        <button type="button" className="primary pay" onClick={actions.pay} disabled={!actions.pay}>
          {t('action.pay')} <kbd>F9</kbd>
        </button>
        <div className="action-grid">
          <button type="button" onClick={actions.qty} disabled={!actions.qty}>
            {t('action.quantity')} <kbd>F3</kbd>
          </button>
          <button type="button" onClick={actions.lineDiscount} disabled={!actions.lineDiscount}>
            {t('action.lineDiscount')} <kbd>F4</kbd>
          </button>
          <button type="button" onClick={actions.cartDiscount} disabled={!actions.cartDiscount}>
            {t('action.cartDiscount')} <kbd>F6</kbd>
          </button>
          <button type="button" onClick={actions.remove} disabled={!actions.remove}>
            {t('action.remove')} <kbd>Del</kbd>
          </button>
          <button type="button" onClick={() => onReturns()}>
            {t('action.returns')} <kbd>F8</kbd>
          </button>
          <button type="button" onClick={onCloseShift}>
            {t('action.closeShift')} <kbd>F10</kbd>
          </button>
        </div>
        <RecentSales sales={recent} onOpen={onReturns} />
      </aside>
      {open?.kind === 'qty' && dialogLine && (
        <QuantityDialog
          api={api}
          line={dialogLine}
          onClose={() => setOpen(null)}
          onDone={(c) => {
            updated(c);
            setOpen(null);
          }}
        />
      )}
      {(open?.kind === 'cartDiscount' || (open?.kind === 'lineDiscount' && dialogLine)) && (
        <DiscountDialog
          api={api}
          {...(open.kind === 'lineDiscount' && dialogLine ? { line: dialogLine } : {})}
          onClose={() => setOpen(null)}
          onDone={(c) => {
            updated(c);
            setOpen(null);
          }}
        />
      )}
    </main>
  );
}
