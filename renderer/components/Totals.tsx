import type { CartView } from '../../shared/pos-api';
import { useTexts } from '../i18n/lang-context';

export function Totals({ cart }: { cart: CartView }) {
  const { t, money } = useTexts();
  return (
    <dl className="totals" aria-label={t('sale.total')}>
      <div>
        <dt>{t('sale.subtotal')}</dt>
        <dd>{money(cart.subtotal)}</dd>
      </div>
      {cart.discountTotal > 0 && (
        <div>
          <dt>{t('sale.discounts')}</dt>
          <dd>−{money(cart.discountTotal)}</dd>
        </div>
      )}
      <div>
        <dt>{t('sale.vat')}</dt>
        <dd>{money(cart.vatTotal)}</dd>
      </div>
      <div className="grand">
        <dt>{t('sale.total')}</dt>
        <dd data-testid="cart-total">{money(cart.total)}</dd>
      </div>
    </dl>
  );
}
