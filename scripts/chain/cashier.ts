/**
 * A cashier at a till of the local chain, driven through the till's HTTP
 * API: what `npm run traffic` plays, and what the whole-system test rings up.
 */
import type { PaymentMethod } from '../../shared/tender';
import type { CartView, PosApi } from '../../shared/pos-api';
import { createHttpApi } from '../../shared/pos-client';
import { pick, type SeedProduct } from '../seed/catalog';
import { BRANCHES, tillKey, type ChainState } from './plan';

export interface TillDriver {
  readonly key: string;
  readonly api: PosApi;
  readonly cashierPin: string;
  readonly managerPin: string;
}

/** Every till of the chain, each with its own cashier (the branch's cashiers in turn) and the branch's manager. */
export function chainTills(state: ChainState): TillDriver[] {
  return BRANCHES.flatMap((b) =>
    b.tills.map((t, i) => {
      const cashiers = b.staff.filter((s) => s.role === 'cashier');
      return {
        key: tillKey(b.code, t),
        api: createHttpApi({ baseUrl: `http://127.0.0.1:${state.ports.tills[tillKey(b.code, t)]}` }),
        cashierPin: cashiers[i % cashiers.length]!.pin,
        managerPin: b.staff.find((s) => s.role === 'manager')!.pin,
      };
    }),
  );
}

export async function must<T>(
  what: string,
  call: Promise<{ ok: true; value: T } | { ok: false; error: { reason: string; field: string } }>,
): Promise<T> {
  const r = await call;
  if (!r.ok) throw new Error(`${what}: ${r.error.reason}${r.error.field ? ` (${r.error.field})` : ''}`);
  return r.value;
}

/** Signs the cashier in and opens a shift with a float if none is open. */
export async function readyTill(till: TillDriver): Promise<void> {
  await must(`${till.key} login`, till.api['session:login']({ pin: till.cashierPin }));
  const info = await must(`${till.key} info`, till.api['till:info']({}));
  if (!info.shift) await must(`${till.key} open shift`, till.api['shift:open']({ openingFloat: 500_000 }));
}

/** One customer at the counter: a basket, a tender, a receipt. Returns what was taken, or null if the till has no catalog yet. */
export async function ringSale(
  till: TillDriver,
  catalog: readonly SeedProduct[],
  random: () => number,
): Promise<{ receiptNo: string; total: number; method: string } | null> {
  const loose = catalog.filter((p) => p.unit === 'kg');
  const packed = catalog.filter((p) => p.unit === 'piece');
  await till.api['sale:cancel']({});
  const items = 1 + Math.floor(random() * random() * 10);
  let cart: CartView | undefined;
  for (let i = 0; i < items; i++) {
    const weighed = random() < 0.25;
    const product = pick(random, weighed ? loose : packed);
    const quantity = weighed ? 250 * (1 + Math.floor(random() * 10)) : 1000 * (random() < 0.8 ? 1 : 2);
    const r = await till.api['sale:scan']({ barcode: product.barcodes[0]!, quantity });
    if (!r.ok) {
      if (r.error.code === 'unknown-barcode' && !cart) return null;
      continue;
    }
    cart = r.value;
  }
  if (!cart || cart.lines.length === 0) return null;

  const methods: PaymentMethod[] = ['cash', 'cash', 'cash', 'card', 'bkash', 'nagad'];
  const split = random() < 0.1 && cart.total > 20_000;
  const method = split
    ? pick(
        random,
        methods.filter((m) => m !== 'bkash'),
      )
    : pick(random, methods);
  let due: number = cart.total;
  if (split) {
    const part = Math.round((due * (0.3 + random() * 0.4)) / 100) * 100;
    await must(
      'tender',
      till.api['sale:tender']({ method: 'bkash', amount: part, reference: reference('BK', random) }),
    );
    due -= part;
  }
  if (method === 'cash') {
    const note = pick(random, [1, 10_000, 50_000, 100_000]);
    const amount = note === 1 ? due : Math.ceil(due / note) * note;
    await must('tender', till.api['sale:tender']({ method: 'cash', amount }));
  } else {
    const prefix = method === 'card' ? 'A' : method === 'bkash' ? 'BK' : 'NG';
    await must('tender', till.api['sale:tender']({ method, amount: due, reference: reference(prefix, random) }));
  }
  if (!cart.saleId) throw new Error(`${till.key}: the cart has no sale id`);
  // By the sale's id, so that a retry after a lost reply gets the same receipt.
  const receipt = await must(`${till.key} complete`, till.api['sale:complete']({ saleId: cart.saleId }));
  return { receiptNo: receipt.receiptNo, total: receipt.total, method: split ? `bkash+${method}` : method };
}

/** A customer brings back one item of a recent sale. */
export async function refundOne(till: TillDriver, receiptNo: string): Promise<number> {
  const sale = await must('lookup', till.api['sale:lookup']({ receiptNo }));
  const line = sale.lines.find((l) => l.unit === 'piece' && l.refundedQuantity < l.quantity);
  if (!line || sale.voided) return 0;
  const refund = await must(
    `${till.key} refund`,
    till.api['sale:refund']({
      receiptNo,
      lines: [{ lineNo: line.lineNo, quantity: 1000 }],
      method: 'cash',
      managerPin: till.managerPin,
      reason: 'customer returned it',
    }),
  );
  return refund.total;
}

function reference(prefix: string, random: () => number): string {
  return (
    prefix +
    Math.floor(random() * 36 ** 8)
      .toString(36)
      .toUpperCase()
      .padStart(8, '0')
  );
}
