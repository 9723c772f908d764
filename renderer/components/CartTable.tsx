import { memo, useEffect, useRef } from 'react';
import type { CartLineView, CartView } from '../../shared/pos-api';
import { type Texts, useTexts } from '../i18n/lang-context';
import { TableHead } from './TableHead';

interface RowProps {
  readonly line: CartLineView;
  readonly index: number;
  readonly selected: boolean;
  readonly texts: Texts;
  onSelect(lineNo: number): void;
}

const SHOWN: readonly (keyof CartLineView)[] = [
  'lineNo',
  'nameEn',
  'nameBn',
  'quantity',
  'unit',
  'unitPrice',
  'gross',
  'lineDiscount',
];

/**
 * One line of the cart. Every answer from the till is a fresh cart, so rows
 * compare what they show: a scan into a long cart draws one new row, not all.
 */
const CartRow = memo(
  function CartRow({ line: l, index, selected, texts, onSelect }: RowProps) {
    const { money, quantity, name } = texts;
    const ref = useRef<HTMLTableRowElement>(null);
    useEffect(() => {
      if (selected) ref.current?.scrollIntoView?.({ block: 'nearest' });
    }, [selected]);
    return (
      <tr
        ref={ref}
        className={selected ? 'selected' : undefined}
        aria-selected={selected}
        onClick={() => onSelect(l.lineNo)}
      >
        <td className="num">{index + 1}</td>
        <td>
          <span className="item-name">{name(l)}</span>
          <span className="item-other" lang={texts.lang === 'bn' ? 'en' : 'bn'}>
            {name({ nameEn: l.nameBn, nameBn: l.nameEn })}
          </span>
        </td>
        <td className="num">{quantity(l.quantity, l.unit)}</td>
        <td className="num">{money(l.unitPrice)}</td>
        <td className="num">{l.lineDiscount > 0 ? `−${money(l.lineDiscount)}` : ''}</td>
        <td className="num strong">{money(l.gross - l.lineDiscount)}</td>
      </tr>
    );
  },
  (a, b) =>
    a.index === b.index &&
    a.selected === b.selected &&
    a.texts === b.texts &&
    a.onSelect === b.onSelect &&
    SHOWN.every((k) => a.line[k] === b.line[k]),
);

export function CartTable({
  cart,
  selected,
  onSelect,
}: {
  cart: CartView;
  selected: number | null;
  onSelect(lineNo: number): void;
}) {
  const texts = useTexts();
  if (cart.lines.length === 0) {
    return <p className="cart-empty">{texts.t('sale.empty')}</p>;
  }
  return (
    <table className="cart" aria-label={texts.t('sale.cart')}>
      <TableHead
        columns={[
          ['sale.col.no', 'num'],
          ['sale.col.item'],
          ['sale.col.qty', 'num'],
          ['sale.col.price', 'num'],
          ['sale.col.discount', 'num'],
          ['sale.col.amount', 'num'],
        ]}
      />
      <tbody>
        {cart.lines.map((l, i) => (
          <CartRow
            key={l.lineNo}
            line={l}
            index={i}
            selected={l.lineNo === selected}
            texts={texts}
            onSelect={onSelect}
          />
        ))}
      </tbody>
    </table>
  );
}
