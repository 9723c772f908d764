/**
 * `npm run traffic -- --rate N`: cashiers ringing up sales at every till of
 * the local chain (`npm start`), through each till's own HTTP API, the one
 * its screens use. Each till gets N sales a minute, at random moments:
 * a basket of packaged goods and loose goods weighed by the kg, paid in
 * cash (rounded up, as customers hand over notes), by card, bKash or Nagad,
 * sometimes split; now and then a refund with the manager's PIN.
 *
 *   --rate N     sales per minute at each till (default 6)
 *   --sales N    stop after N sales in all (default: until Ctrl-C)
 *   --data DIR   the chain's data folder (default .data/chain)
 *   --seed N     replay the same customers
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatTaka } from '../shared/format';
import { seededRandom } from '../main/testing/random';
import { grocerCatalog, pick } from './seed/catalog';
import { chainTills, readyTill, refundOne, ringSale, type TillDriver } from './chain/cashier';
import { chainPaths, readState } from './chain/plan';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '6' },
    sales: { type: 'string' },
    data: { type: 'string', default: '.data/chain' },
    seed: { type: 'string' },
  },
});

function positive(flag: string, text: string | undefined, fallback?: number): number {
  if (text === undefined && fallback !== undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${flag}: must be a number above 0, got ${text}`);
  return n;
}

interface Counter {
  sales: number;
  refunds: number;
  takings: number;
}

async function main(): Promise<void> {
  const rate = positive('rate', values.rate);
  const limit = values.sales === undefined ? Infinity : positive('sales', values.sales);
  const paths = chainPaths(resolve(values.data));
  const state = readState(paths);
  if (!state) throw new Error(`no chain in ${paths.data}: run \`npm start\` first`);
  const random = seededRandom(values.seed ? Number(values.seed) : Date.now());
  const catalog = grocerCatalog();

  const tills = chainTills(state);
  const counter: Counter = { sales: 0, refunds: 0, takings: 0 };
  let stopping = false;
  process.once('SIGINT', () => (stopping = true));

  const play = async (till: TillDriver) => {
    await readyTill(till);
    const recent: string[] = [];
    let waitingForCatalog = false;
    while (!stopping && counter.sales < limit) {
      await sleep(-Math.log(1 - random()) * (60_000 / rate));
      if (stopping || counter.sales >= limit) break;
      try {
        if (recent.length > 3 && random() < 0.03) {
          const amount = await refundOne(till, pick(random, recent));
          if (amount > 0) {
            counter.refunds++;
            console.log(`${till.key}  refund  ${formatTaka(amount)}`);
          }
          continue;
        }
        const sale = await ringSale(till, catalog, random);
        if (!sale) {
          if (!waitingForCatalog) console.log(`${till.key}  has no catalog yet: waiting for its first sync`);
          waitingForCatalog = true;
          continue;
        }
        waitingForCatalog = false;
        recent.push(sale.receiptNo);
        if (recent.length > 20) recent.shift();
        counter.sales++;
        counter.takings += sale.total;
        console.log(`${till.key}  ${sale.receiptNo}  ${formatTaka(sale.total).padStart(12)}  ${sale.method}`);
      } catch (e) {
        console.log(`${till.key}  ${(e as Error).message}`);
        if (/not signed in|no open shift/i.test((e as Error).message)) await readyTill(till).catch(() => undefined);
      }
    }
  };
  console.log(`Ringing up about ${rate} sales a minute at each of ${tills.length} tills; Ctrl-C stops.`);
  await Promise.all(tills.map(play));
  console.log(`${counter.sales} sales, ${counter.refunds} refunds, takings ${formatTaka(counter.takings)}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exit(1);
});
