import type { CartView } from '../../shared/pos-api';
import { useTexts } from '../i18n/lang-context';
import { TableHead } from './TableHead';

export function CartTable({
  cart,
  selected,
  onSelect,
}: {
  cart: CartView;
  selected: number | null;
  onSelect(lineNo: number): void;
}) {
  const { t, money, quantity, name } = useTexts();
  if (cart.lines.length === 0) {
    return <p className="cart-empty">{t('sale.empty')}</p>;
  }
  return (
    <table className="cart" aria-label={t('sale.cart')}>
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
          <tr
            key={l.lineNo}
            className={l.lineNo === selected ? 'selected' : undefined}
            aria-selected={l.lineNo === selected}
            onClick={() => onSelect(l.lineNo)}
          >
            <td className="num">{i + 1}</td>
            <td>
              <span className="item-name">{name(l)}</span>
              <span className="item-other">{name({ nameEn: l.nameBn, nameBn: l.nameEn })}</span>
            </td>
            <td className="num">{quantity(l.quantity, l.unit)}</td>
            <td className="num">{money(l.unitPrice)}</td>
            <td className="num">{l.lineDiscount > 0 ? `−${money(l.lineDiscount)}` : ''}</td>
            <td className="num strong">{money(l.gross - l.lineDiscount)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
