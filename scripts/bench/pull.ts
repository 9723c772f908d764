/**
 * pull: how long a new till takes to get a chain-sized catalog, and how
 * quickly it hears of a price change. Head office holds 100,000 products
 * (English and Bangla names, 1–2 EAN-13 barcodes each, prices and VAT with
 * their history), written in four big master-data changes as a catalog
 * import would be. A freshly provisioned till pulls them all through
 * `pullAll`: real HTTP on a real port, gzip, zod at the boundary, one
 * transaction per page on a till file with synchronous=FULL. The central
 * database is PostgreSQL when DATABASE_URL is set, else PGlite.
 * Beside it, in the same run: the floor, the same 100,000 products written
 * with `upsertProduct` into a fresh till file (same schema, triggers and
 * full-text index) in one transaction, with no network at all. The check is
 * on the ratio of the medians of three rounds, alternating which goes first,
 * each pull by a newly provisioned till. Head office's page query is also
 * timed alone over the same pages, to show its share.
 * Then the everyday case: head office changes 100 prices and one of those
 * tills pulls; repeated, a different 100 each time, for the median.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Database } from '../../cloud-worker/db/database';
import {
  masterDataChange,
  upsertProduct as upsertCentral,
} from '../../cloud-worker/repositories/master-data-repository';
import { parseCursor, readChanges } from '../../cloud-worker/repositories/pull-repository';
import type { ProductId } from '../../shared/ids';
import { poisha } from '../../shared/money';
import { vatRate } from '../../shared/vat';
import { openTill, type Till } from '../../main/open-till';
import { getProduct, type Product, upsertProduct } from '../../main/store/catalog';
import { inTransaction, openStore, type WritableDB } from '../../main/store/db';
import { loadCredentials } from '../../main/sync/provision';
import { DEFAULT_PAGE_SIZE, pullAll, type PullDeps } from '../../main/sync/pull';
import { seededRandom } from '../../main/testing/random';
import { startChain, tillPaths } from '../../test/sync/chain';
import { type BenchResult, centralKind, check, figure, median, percentile } from './harness';
import { ean13 as validEan13, pick } from '../seed/catalog';

const PRODUCTS = 100_000;
/** A catalog import at head office: this many products per master-data change. */
const PER_CHANGE = 25_000;
const DELTA = 100;
const DELTA_RUNS = 25;
const ROUNDS = 3;
const SEED = 20_240_612;
const BRANCH = 'DHK01';

type Pair = readonly [en: string, bn: string];

const BRANDS: readonly Pair[] = [
  ['Pran', 'প্রাণ'],
  ['ACI', 'এসিআই'],
  ['Square', 'স্কয়ার'],
  ['Radhuni', 'রাঁধুনী'],
  ['Fresh', 'ফ্রেশ'],
  ['Teer', 'তীর'],
  ['Rupchanda', 'রূপচাঁদা'],
  ['Bashundhara', 'বসুন্ধরা'],
  ['Ispahani', 'ইস্পাহানি'],
  ['Akij', 'আকিজ'],
  ['Olympic', 'অলিম্পিক'],
  ['Danish', 'ড্যানিশ'],
  ['Meghna', 'মেঘনা'],
  ['Milk Vita', 'মিল্ক ভিটা'],
  ['Igloo', 'ইগলু'],
  ['Kazi Farms', 'কাজী ফার্মস'],
  ['Lux', 'লাক্স'],
  ['Keya', 'কেয়া'],
  ['Meril', 'মেরিল'],
  ['Kohinoor', 'কোহিনূর'],
  ['Ruchi', 'রুচি'],
  ['Sajeeb', 'সজীব'],
  ['Bombay Sweets', 'বোম্বে সুইটস'],
  ['Ifad', 'ইফাদ'],
  ['City', 'সিটি'],
  ['Savoy', 'স্যাভয়'],
];

type Size = 'ml' | 'g' | 'kg' | 'pack';

const GOODS: readonly (readonly [en: string, bn: string, size: Size])[] = [
  ['Mango Juice', 'আমের জুস', 'ml'],
  ['Soybean Oil', 'সয়াবিন তেল', 'ml'],
  ['Mustard Oil', 'সরিষার তেল', 'ml'],
  ['Salt', 'লবণ', 'g'],
  ['Atta', 'আটা', 'kg'],
  ['Chinigura Rice', 'চিনিগুড়া চাল', 'kg'],
  ['Masoor Dal', 'মসুর ডাল', 'g'],
  ['Turmeric Powder', 'হলুদ গুঁড়া', 'g'],
  ['Chili Powder', 'মরিচ গুঁড়া', 'g'],
  ['Tea', 'চা', 'g'],
  ['Milk Powder', 'গুঁড়া দুধ', 'g'],
  ['Ghee', 'ঘি', 'g'],
  ['Biscuits', 'বিস্কুট', 'g'],
  ['Chanachur', 'চানাচুর', 'g'],
  ['Instant Noodles', 'ইনস্ট্যান্ট নুডলস', 'pack'],
  ['Vermicelli', 'সেমাই', 'g'],
  ['Beauty Soap', 'বিউটি সাবান', 'g'],
  ['Shampoo', 'শ্যাম্পু', 'ml'],
  ['Toothpaste', 'টুথপেস্ট', 'g'],
  ['Detergent Powder', 'ডিটারজেন্ট পাউডার', 'g'],
  ['Hand Wash', 'হ্যান্ড ওয়াশ', 'ml'],
  ['Drinking Water', 'খাবার পানি', 'ml'],
  ['Mosquito Coil', 'মশার কয়েল', 'pack'],
  ['Ice Cream', 'আইসক্রিম', 'ml'],
];

/** Pack sizes with their English and Bangla labels. */
const SIZES: Readonly<Record<Size, readonly Pair[]>> = {
  ml: [
    ['250ml', '২৫০ মিলি'],
    ['500ml', '৫০০ মিলি'],
    ['1L', '১ লিটার'],
  ],
  g: [
    ['100g', '১০০ গ্রাম'],
    ['200g', '২০০ গ্রাম'],
    ['500g', '৫০০ গ্রাম'],
  ],
  kg: [
    ['1kg', '১ কেজি'],
    ['2kg', '২ কেজি'],
    ['5kg', '৫ কেজি'],
  ],
  pack: [
    ['4 pack', '৪ প্যাক'],
    ['10 pcs', '১০ পিস'],
  ],
};

const VARIANTS: readonly Pair[] = [
  ['', ''],
  ['', ''],
  ['Premium', 'প্রিমিয়াম'],
  ['Classic', 'ক্লাসিক'],
  ['Family Pack', 'ফ্যামিলি প্যাক'],
  ['Lemon', 'লেবু'],
  ['Spicy', 'ঝাল'],
  ['Gold', 'গোল্ড'],
  ['Herbal', 'হারবাল'],
  ['Special', 'স্পেশাল'],
];

/** A valid EAN-13 with Bangladesh's GS1 prefix 894, unique per n. */
function ean13(n: number): string {
  return validEan13(`894${String(n).padStart(9, '0')}`);
}

function catalog(): Product[] {
  const random = seededRandom(SEED);
  const products: Product[] = [];
  let barcode = 1;
  for (let n = 1; n <= PRODUCTS; n++) {
    const [brandEn, brandBn] = pick(random, BRANDS);
    const [goodEn, goodBn, size] = pick(random, GOODS);
    const [variantEn, variantBn] = pick(random, VARIANTS);
    const [sizeEn, sizeBn] = pick(random, SIZES[size]);
    const barcodes = [ean13(barcode++)];
    if (random() < 0.3) barcodes.push(ean13(barcode++));
    products.push({
      id: `0190f000-0000-4000-8000-${String(n).padStart(12, '0')}` as ProductId,
      sku: `HO${String(n).padStart(7, '0')}`,
      nameEn: [brandEn, variantEn, goodEn, sizeEn].filter(Boolean).join(' '),
      nameBn: [brandBn, variantBn, goodBn, sizeBn].filter(Boolean).join(' '),
      category: 'grocery',
      unit: random() < 0.1 ? 'kg' : 'piece',
      price: poisha(500 + Math.floor(random() * 200_000)),
      vatRate: vatRate(pick(random, [0, 500, 750, 1000, 1500])),
      vatMode: 'inclusive',
      active: true,
      barcodes,
    });
  }
  return products;
}

/**
 * Head office's catalog import: a few master-data changes of many rows each,
 * written set-wise (the admin endpoint, a product per request, would take
 * minutes), with the same rows the repository writes: the product, its
 * barcodes, and the first entry of its price and VAT history.
 */
async function importCatalog(db: Database, products: readonly Product[]): Promise<void> {
  for (let from = 0; from < products.length; from += PER_CHANGE) {
    const chunk = products.slice(from, from + PER_CHANGE);
    await masterDataChange(db, async (tx, seq) => {
      await tx.query(
        `INSERT INTO products (id, sku, name_en, name_bn, category, unit, price, vat_rate, vat_mode, active, change_seq)
         SELECT *, $11::bigint FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
           $7::bigint[], $8::int[], $9::text[], $10::boolean[])`,
        [
          chunk.map((p) => p.id),
          chunk.map((p) => p.sku),
          chunk.map((p) => p.nameEn),
          chunk.map((p) => p.nameBn),
          chunk.map((p) => p.category),
          chunk.map((p) => p.unit),
          chunk.map((p) => p.price),
          chunk.map((p) => p.vatRate),
          chunk.map((p) => p.vatMode),
          chunk.map((p) => p.active),
          seq,
        ],
      );
      const pairs = chunk.flatMap((p) => p.barcodes.map((b) => [b, p.id] as const));
      await tx.query(
        'INSERT INTO product_barcodes (barcode, product_id) SELECT * FROM unnest($1::text[], $2::uuid[])',
        [pairs.map(([b]) => b), pairs.map(([, id]) => id)],
      );
      await tx.query(
        'INSERT INTO price_history (product_id, change_seq, price) SELECT id, change_seq, price FROM products WHERE change_seq = $1',
        [seq],
      );
      await tx.query(
        `INSERT INTO vat_history (product_id, change_seq, vat_rate, vat_mode)
         SELECT id, change_seq, vat_rate, vat_mode FROM products WHERE change_seq = $1`,
        [seq],
      );
    });
  }
  await db.query('ANALYZE products');
  await db.query('ANALYZE product_barcodes');
}

function count(db: WritableDB, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

export async function pull(): Promise<BenchResult> {
  const chain = await startChain(centralKind());
  const floorDir = mkdtempSync(join(tmpdir(), 'haat-pull-floor-'));
  const tills: Till[] = [];
  try {
    await chain.addBranch(BRANCH);
    await chain.addStaff(BRANCH, 'cashier', '1234');
    const products = catalog();
    let start = performance.now();
    await importCatalog(chain.f.t.db, products);
    console.log(
      `  head office: ${PRODUCTS.toLocaleString('en-US')} products in ${PRODUCTS / PER_CHANGE} changes, written in ${Math.round(performance.now() - start)} ms`,
    );

    // The floor: the same rows into a fresh till file, one transaction, no network.
    const floorMs: number[] = [];
    let floorBarcodes = 0;
    const runFloor = (round: number) => {
      const floor = openStore(join(floorDir, `floor-${round}.sqlite`));
      try {
        const at = Date.now();
        const begin = performance.now();
        inTransaction(floor.write, () => {
          for (const p of products) upsertProduct(floor.write, p, at);
        });
        floorMs.push(performance.now() - begin);
        floorBarcodes = count(floor.write, 'barcodes');
      } finally {
        floor.close();
      }
    };
    // The pull: a till provisioned afresh each round pulls everything.
    const pullMs: number[] = [];
    let pages = 0;
    const runPull = async (round: number) => {
      const { dir } = await chain.addTill(BRANCH, round + 1);
      const till = openTill(tillPaths(dir).db);
      tills.push(till);
      const begin = performance.now();
      const full = await pullAll({ db: till.deps.db, now: Date.now, credentials: loadCredentials(dir) });
      pullMs.push(performance.now() - begin);
      pages = full.pages;
      const held = count(till.deps.db, 'products');
      const barcodes = count(till.deps.db, 'barcodes');
      if (full.products !== PRODUCTS || held !== PRODUCTS || barcodes !== floorBarcodes) {
        throw new Error(
          `round ${round}: the till pulled ${full.products} products and holds ${held} with ${barcodes} barcodes (floor ${floorBarcodes})`,
        );
      }
    };
    for (let round = 0; round < ROUNDS; round++) {
      // The floor goes first in the first round: the pull checks its barcodes against it.
      if (round % 2 === 0) {
        runFloor(round);
        await runPull(round);
      } else {
        await runPull(round);
        runFloor(round);
      }
      console.log(
        `  round ${round + 1}: pull ${Math.round(pullMs[round] ?? 0)} ms, floor ${Math.round(floorMs[round] ?? 0)} ms`,
      );
    }

    // Head office's share: its page query alone, over the same pages, no HTTP.
    start = performance.now();
    let cursor = parseCursor('0');
    let queried = 0;
    for (let more = true; more; queried++) {
      const page = await readChanges(chain.f.t.db, BRANCH, cursor, DEFAULT_PAGE_SIZE);
      cursor = page.cursor;
      more = page.more;
    }
    const queryMs = performance.now() - start;
    if (queried !== pages) {
      throw new Error(`readChanges took ${queried} pages, pullAll ${pages}`);
    }

    // The everyday case: 100 prices change at head office, the last till pulls.
    const till = tills.at(-1);
    if (!till) throw new Error('no till pulled');
    const dir = dirname(till.store.path);
    const deps: PullDeps = { db: till.deps.db, now: Date.now, credentials: loadCredentials(dir) };
    const deltaMs: number[] = [];
    for (let run = 0; run < DELTA_RUNS; run++) {
      const changed = products
        .slice(run * DELTA * 7, run * DELTA * 7 + DELTA)
        .map((p) => ({ ...p, price: poisha(p.price + 100 * (run + 1)) }));
      await masterDataChange(chain.f.t.db, async (tx, seq) => {
        for (const p of changed) await upsertCentral(tx, seq, { ...p, barcodes: [...p.barcodes] });
      });
      const begin = performance.now();
      const delta = await pullAll(deps);
      deltaMs.push(performance.now() - begin);
      const sample = changed[run % DELTA] as Product;
      if (delta.products !== DELTA || getProduct(deps.db, sample.id)?.price !== sample.price) {
        throw new Error(`delta pull ${run}: ${delta.products} products, ${sample.sku} not at its new price`);
      }
    }

    const ratio = figure('ratio (pull / floor)', median(pullMs) / median(floorMs), '×');
    const deltaP50 = figure(`${DELTA}-change delta pull p50 (${DELTA_RUNS} runs)`, percentile(deltaMs, 50), 'ms');
    return {
      name: 'pull',
      figures: [
        figure(`full pull of ${PRODUCTS.toLocaleString('en-US')} products (median of ${ROUNDS})`, median(pullMs), 'ms'),
        figure(`floor: local upsertProduct, one transaction (median of ${ROUNDS})`, median(floorMs), 'ms'),
        ratio,
        figure(`pages (pullAll's default page size)`, pages, 'pages'),
        figure('head office page queries alone (readChanges, same pages)', queryMs, 'ms'),
        deltaP50,
        figure(`${DELTA}-change delta pull p90`, percentile(deltaMs, 90), 'ms'),
      ],
      checks: [check(ratio, '<=', 3), check(deltaP50, '<', 100)],
    };
  } finally {
    for (const till of tills) till.store.close();
    await chain.close();
    rmSync(floorDir, { recursive: true, force: true });
  }
}
