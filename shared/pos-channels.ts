import { ZERO } from './money';
import type { CartView } from './pos-api';

/**
 * The names of the PosApi channels, apart from their schemas: what the
 * sandboxed preload and the screens need at run time, without zod. The map
 * in pos-api.ts must have exactly these keys (checked with `satisfies`).
 */
export const CHANNELS = [
  'till:info',
  'session:login',
  'session:current',
  'session:logout',
  'shift:open',
  'shift:summary',
  'shift:close',
  'sale:current',
  'sale:scan',
  'sale:add',
  'sale:search',
  'sale:setQuantity',
  'sale:removeLine',
  'sale:lineDiscount',
  'sale:cartDiscount',
  'sale:tender',
  'sale:removePayment',
  'sale:setCustomer',
  'customer:lookup',
  'sale:complete',
  'sale:cancel',
  'sale:lookup',
  'sale:void',
  'sale:refund',
  'sales:recent',
  'sync:status',
  'sync:now',
  'sync:setOffline',
] as const;

export type ChannelName = (typeof CHANNELS)[number];

export const EMPTY_CART: CartView = {
  saleId: null,
  lines: [],
  subtotal: ZERO,
  cartDiscount: ZERO,
  discountTotal: ZERO,
  vatTotal: ZERO,
  total: ZERO,
  payments: [],
  paid: ZERO,
  due: ZERO,
  change: ZERO,
  customer: null,
  tenderApproved: false,
};
