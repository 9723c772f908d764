import type {
  CartView,
  Channel,
  ChannelInput,
  PosApi,
  PosResult,
  SyncStatusView,
  TillInfo,
} from '../../shared/pos-api';
import { CHANNELS, EMPTY_CART } from '../../shared/pos-channels';

type Handlers = { [C in Channel]?: (input: ChannelInput<C>) => PosResult<C> | Promise<PosResult<C>> };

export interface FakeApi {
  readonly api: PosApi;
  /** Every call made, in order. */
  readonly calls: { channel: Channel; input: unknown }[];
  callsTo(channel: Channel): unknown[];
}

/**
 * A PosApi for component tests: answers from the handlers given, and
 * refuses every other channel in words, so a screen calling something
 * unexpected fails visibly.
 */
export function fakeApi(handlers: Handlers): FakeApi {
  const calls: { channel: Channel; input: unknown }[] = [];
  const api = Object.fromEntries(
    CHANNELS.map((channel) => [
      channel,
      async (input: unknown) => {
        calls.push({ channel, input });
        const h = handlers[channel] as ((i: unknown) => unknown) | undefined;
        if (!h) return { ok: false, error: { code: 'not-faked', field: '', reason: `${channel} is not faked` } };
        return h(input);
      },
    ]),
  ) as unknown as PosApi;
  return {
    api,
    calls,
    callsTo: (channel) => calls.filter((c) => c.channel === channel).map((c) => c.input),
  };
}

export const TILL: TillInfo = {
  branch: 'DHK01',
  till: 2,
  shift: null,
  denominations: [1000, 500, 200, 100, 50, 20, 10, 5, 2, 1],
  maxDiscountWithoutManagerBps: 500,
};

export const NO_SYNC: SyncStatusView = {
  configured: false,
  online: null,
  running: false,
  workOffline: false,
  offline: null,
  db: { bytes: 2_400_000, rowsWaiting: 0, oldestUnsyncedSaleAt: null },
  lastSuccessAt: null,
  lastError: null,
  pendingSales: 0,
  pendingEvents: 0,
  queuedNotAcked: 0,
  nextRunAt: null,
};

export const EMPTY = EMPTY_CART;

/** A cart with the given lines (price in poisha, quantity in thousandths), priced without VAT or discounts. */
export function cartOf(
  lines: { nameEn: string; nameBn?: string; price: number; quantity?: number; unit?: 'piece' | 'kg' }[],
  paid = 0,
): CartView {
  const priced = lines.map((l, i) => {
    const quantity = l.quantity ?? 1000;
    const gross = Math.round((l.price * quantity) / 1000);
    return {
      lineNo: i + 1,
      productId: `p${i + 1}`,
      barcode: null,
      nameEn: l.nameEn,
      nameBn: l.nameBn ?? l.nameEn,
      unit: l.unit ?? 'piece',
      quantity,
      unitPrice: l.price,
      vatRate: 0,
      gross,
      lineDiscount: 0,
      net: gross,
      vat: 0,
    };
  });
  const total = priced.reduce((s, l) => s + l.gross, 0);
  return {
    ...EMPTY,
    saleId: 'sale-1',
    lines: priced,
    subtotal: total,
    total,
    paid,
    due: Math.max(0, total - paid),
    change: Math.max(0, paid - total),
  } as unknown as CartView;
}
