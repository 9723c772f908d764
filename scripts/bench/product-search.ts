/**
 * product-search: how fast a till finds a product in a chain-sized catalog.
 * 100,000 generated products with English and Bangla names (brand, variant,
 * product, size: "Pran Mango Juice 250ml" / "প্রাণ আমের জুস ২৫০ মিলি"; a few
 * big brands and a long tail of local ones) and 1–2 EAN-13 barcodes each are
 * written through upsertProduct in one transaction.
 * Measured: barcode lookup (findByBarcode) and name search (searchProducts,
 * the trigram index) with partial English and Bangla words; and beside the
 * search, in the same run and interleaved with it, the same queries as a
 * `LIKE '%q%'` scan over both names, which is what the index is there to beat.
 *
 * Both give the same kind of answer: of all the products that match, the
 * best 20 by one relevance (bestMatches), best first. A LIKE scan cannot know
 * it holds the best matches before it has seen them all, so it reads every
 * row and ranks every match; a scan that stopped at its twentieth match would
 * answer a different, easier question. The search ranks every match too when
 * there are fewer than SEARCH_CANDIDATES, and past that a sample of the best
 * kinds of match (see searchProducts). So the two can differ among names that
 * match equally well (which the shorter goes first among); how often every
 * rank holds the same kind of match in both is printed beside the times.
 */
import Database from 'better-sqlite3';
import type { ProductId } from '../../shared/ids';
import { poisha } from '../../shared/money';
import { vatRate } from '../../shared/vat';
import {
  bestMatches,
  compareMatchKinds,
  findByBarcode,
  type NameMatch,
  type Product,
  productsByRowid,
  searchProducts,
  searchWords,
  upsertProduct,
} from '../../main/store/catalog';
import { inTransaction, type ReadableDB, sql } from '../../main/store/db';
import { type TempTill, tempTill } from '../../main/testing/fixtures';
import { type BenchResult, check, figure, percentile, timeMs } from './harness';
import { seededRandom as mulberry32 } from '../../main/testing/random';
import { banglaDigits, ean13 as validEan13, localBrands, pick } from '../seed/catalog';

const PRODUCTS = 100_000;
const LOOKUPS = 20_000;
const QUERIES = 1_000;
const WARMUP_QUERIES = 100;
const LIMIT = 20;

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
  ['Aarong', 'আড়ং'],
  ['Milk Vita', 'মিল্ক ভিটা'],
  ['Igloo', 'ইগলু'],
  ['Kazi Farms', 'কাজী ফার্মস'],
  ['Marks', 'মার্কস'],
  ['Nestle', 'নেসলে'],
  ['Lux', 'লাক্স'],
  ['Lifebuoy', 'লাইফবয়'],
  ['Sunsilk', 'সানসিল্ক'],
  ['Pepsodent', 'পেপসোডেন্ট'],
  ['Keya', 'কেয়া'],
  ['Meril', 'মেরিল'],
  ['Kohinoor', 'কোহিনূর'],
  ['Partex', 'পারটেক্স'],
  ['Ruchi', 'রুচি'],
  ['Sajeeb', 'সজীব'],
  ['Tiffany', 'টিফানি'],
  ['Nabisco', 'নাবিস্কো'],
  ['Bombay Sweets', 'বোম্বে সুইটস'],
  ['Golden Harvest', 'গোল্ডেন হারভেস্ট'],
  ['Ifad', 'ইফাদ'],
  ['City', 'সিটি'],
  ['Dekko', 'ডেকো'],
  ['Arla', 'আরলা'],
  ['Mr. Noodles', 'মি. নুডলস'],
  ['Savoy', 'স্যাভয়'],
  ['Polar', 'পোলার'],
];

type SizeKind = 'ml' | 'l' | 'g' | 'kg' | 'pcs';

const GOODS: readonly (readonly [en: string, bn: string, size: SizeKind])[] = [
  ['Mango Juice', 'আমের জুস', 'ml'],
  ['Orange Drink', 'কমলার ড্রিংক', 'ml'],
  ['Litchi Drink', 'লিচু ড্রিংক', 'ml'],
  ['Soybean Oil', 'সয়াবিন তেল', 'l'],
  ['Mustard Oil', 'সরিষার তেল', 'l'],
  ['Salt', 'লবণ', 'g'],
  ['Sugar', 'চিনি', 'kg'],
  ['Atta', 'আটা', 'kg'],
  ['Maida', 'ময়দা', 'kg'],
  ['Suji', 'সুজি', 'g'],
  ['Chinigura Rice', 'চিনিগুড়া চাল', 'kg'],
  ['Miniket Rice', 'মিনিকেট চাল', 'kg'],
  ['Masoor Dal', 'মসুর ডাল', 'kg'],
  ['Moong Dal', 'মুগ ডাল', 'kg'],
  ['Turmeric Powder', 'হলুদ গুঁড়া', 'g'],
  ['Chili Powder', 'মরিচ গুঁড়া', 'g'],
  ['Coriander Powder', 'ধনিয়া গুঁড়া', 'g'],
  ['Cumin Powder', 'জিরা গুঁড়া', 'g'],
  ['Garam Masala', 'গরম মসলা', 'g'],
  ['Biryani Masala', 'বিরিয়ানি মসলা', 'g'],
  ['Tea', 'চা', 'g'],
  ['Green Tea', 'গ্রিন টি', 'g'],
  ['Coffee', 'কফি', 'g'],
  ['Milk Powder', 'গুঁড়া দুধ', 'g'],
  ['UHT Milk', 'ইউএইচটি দুধ', 'ml'],
  ['Ghee', 'ঘি', 'g'],
  ['Butter', 'মাখন', 'g'],
  ['Cheese', 'পনির', 'g'],
  ['Yogurt', 'দই', 'g'],
  ['Ice Cream', 'আইসক্রিম', 'ml'],
  ['Biscuits', 'বিস্কুট', 'g'],
  ['Cookies', 'কুকিজ', 'g'],
  ['Fruit Cake', 'ফ্রুট কেক', 'g'],
  ['Chanachur', 'চানাচুর', 'g'],
  ['Potato Chips', 'আলুর চিপস', 'g'],
  ['Instant Noodles', 'ইনস্ট্যান্ট নুডলস', 'g'],
  ['Vermicelli', 'সেমাই', 'g'],
  ['Mixed Fruit Jam', 'মিক্সড ফ্রুট জ্যাম', 'g'],
  ['Tomato Ketchup', 'টমেটো কেচাপ', 'g'],
  ['Mango Pickle', 'আমের আচার', 'g'],
  ['Honey', 'মধু', 'g'],
  ['Beauty Soap', 'বিউটি সাবান', 'g'],
  ['Shampoo', 'শ্যাম্পু', 'ml'],
  ['Toothpaste', 'টুথপেস্ট', 'g'],
  ['Detergent Powder', 'ডিটারজেন্ট পাউডার', 'g'],
  ['Dishwashing Liquid', 'ডিশওয়াশিং লিকুইড', 'ml'],
  ['Hand Wash', 'হ্যান্ড ওয়াশ', 'ml'],
  ['Toilet Cleaner', 'টয়লেট ক্লিনার', 'ml'],
  ['Drinking Water', 'খাবার পানি', 'l'],
  ['Energy Drink', 'এনার্জি ড্রিংক', 'ml'],
  ['Mosquito Coil', 'মশার কয়েল', 'pcs'],
  ['Facial Tissue', 'ফেসিয়াল টিস্যু', 'pcs'],
  ['Body Lotion', 'বডি লোশন', 'ml'],
  ['Coconut Hair Oil', 'নারকেল তেল', 'ml'],
  ['Baby Diaper', 'বেবি ডায়াপার', 'pcs'],
  ['Chicken Sausage', 'চিকেন সসেজ', 'g'],
  ['Basmati Rice', 'বাসমতি চাল', 'kg'],
  ['Chickpeas', 'ছোলা', 'kg'],
  ['Flattened Rice', 'চিড়া', 'g'],
  ['Puffed Rice', 'মুড়ি', 'g'],
  ['Ginger Paste', 'আদা বাটা', 'g'],
  ['Garlic Paste', 'রসুন বাটা', 'g'],
  ['Frozen Paratha', 'ফ্রোজেন পরোটা', 'pcs'],
  ['Chicken Nuggets', 'চিকেন নাগেটস', 'g'],
  ['Rusk Toast', 'রাস্ক টোস্ট', 'g'],
  ['Sandwich Bread', 'স্যান্ডউইচ ব্রেড', 'g'],
  ['Cornflakes', 'কর্নফ্লেক্স', 'g'],
  ['Oats', 'ওটস', 'g'],
  ['Condensed Milk', 'কনডেন্সড মিল্ক', 'g'],
  ['Chocolate Bar', 'চকলেট বার', 'g'],
  ['Lollipop', 'ললিপপ', 'pcs'],
  ['Glass Cleaner', 'গ্লাস ক্লিনার', 'ml'],
  ['Floor Cleaner', 'ফ্লোর ক্লিনার', 'ml'],
  ['Air Freshener', 'এয়ার ফ্রেশনার', 'ml'],
  ['Sanitary Napkin', 'স্যানিটারি ন্যাপকিন', 'pcs'],
  ['Shaving Cream', 'শেভিং ক্রিম', 'g'],
  ['Face Wash', 'ফেস ওয়াশ', 'ml'],
  ['Petroleum Jelly', 'পেট্রোলিয়াম জেলি', 'ml'],
  ['Baby Soap', 'বেবি সোপ', 'g'],
  ['Aluminium Foil', 'অ্যালুমিনিয়াম ফয়েল', 'pcs'],
  ['Matchbox', 'ম্যাচবক্স', 'pcs'],
  ['Candles', 'মোমবাতি', 'pcs'],
  ['Battery', 'ব্যাটারি', 'pcs'],
  ['LED Bulb', 'এলইডি বাল্ব', 'pcs'],
];

const LOCAL_BRANDS = 1500;
/** The share of products sold under the well-known brands above. */
const WELL_KNOWN_SHARE = 0.35;

const VARIANTS: readonly Pair[] = [
  ['Premium', 'প্রিমিয়াম'],
  ['Classic', 'ক্লাসিক'],
  ['Family Pack', 'ফ্যামিলি প্যাক'],
  ['Lemon', 'লেবু'],
  ['Mint', 'পুদিনা'],
  ['Chocolate', 'চকলেট'],
  ['Vanilla', 'ভ্যানিলা'],
  ['Strawberry', 'স্ট্রবেরি'],
  ['Spicy', 'ঝাল'],
  ['Extra', 'এক্সট্রা'],
  ['Gold', 'গোল্ড'],
  ['Herbal', 'হারবাল'],
  ['Sweet', 'মিষ্টি'],
  ['Low Fat', 'লো ফ্যাট'],
  ['Organic', 'অর্গানিক'],
  ['Special', 'স্পেশাল'],
  ['Natural', 'ন্যাচারাল'],
  ['Diet', 'ডায়েট'],
  ['Original', 'অরিজিনাল'],
];

const SIZES: Readonly<Record<SizeKind, readonly number[]>> = {
  ml: [125, 200, 250, 300, 500, 1000],
  l: [1, 2, 5],
  g: [25, 50, 100, 150, 200, 250, 400, 500],
  kg: [1, 2, 5, 10],
  pcs: [4, 6, 10, 12, 24],
};
const SIZE_UNIT: Readonly<Record<SizeKind, Pair>> = {
  ml: ['ml', 'মিলি'],
  l: ['L', 'লিটার'],
  g: ['g', 'গ্রাম'],
  kg: ['kg', 'কেজি'],
  pcs: [' pcs', 'পিস'],
};

/** A valid EAN-13 with Bangladesh's GS1 prefix 894, unique per n. */
function ean13(n: number): string {
  return validEan13(`894${String(n).padStart(9, '0')}`);
}

/** The words a name was made of, so that queries can be taken from them. */
interface Made {
  readonly product: Product;
  readonly words: readonly Pair[];
}

function generateCatalog(random: () => number): Made[] {
  const seen = new Set<string>();
  const made: Made[] = [];
  let barcode = 1;
  const local = localBrands(random, LOCAL_BRANDS, BRANDS);
  while (made.length < PRODUCTS) {
    const brand = random() < WELL_KNOWN_SHARE ? pick(random, BRANDS) : pick(random, local);
    const [goodEn, goodBn, kind] = pick(random, GOODS);
    const variant = random() < 0.45 ? pick(random, VARIANTS) : null;
    const amount = pick(random, SIZES[kind]);
    const [unitEn, unitBn] = SIZE_UNIT[kind];
    const nameEn = [brand[0], variant?.[0], goodEn, `${amount}${unitEn}`].filter(Boolean).join(' ');
    if (seen.has(nameEn)) continue;
    seen.add(nameEn);
    const nameBn = [brand[1], variant?.[1], goodBn, `${banglaDigits(amount)} ${unitBn}`].filter(Boolean).join(' ');
    const n = made.length + 1;
    const barcodes = [ean13(barcode++)];
    if (random() < 0.3) barcodes.push(ean13(barcode++));
    made.push({
      product: {
        id: `0190d000-0000-4000-8000-${String(n).padStart(12, '0')}` as ProductId,
        sku: `SKU${String(n).padStart(6, '0')}`,
        nameEn,
        nameBn,
        category: 'Grocery',
        unit: kind === 'kg' && random() < 0.3 ? 'kg' : 'piece',
        price: poisha(500 + Math.floor(random() * 200_000)),
        vatRate: vatRate(pick(random, [0, 500, 750, 1000, 1500])),
        vatMode: 'inclusive',
        active: true,
        barcodes,
      },
      words: [brand, ...(variant ? [variant] : []), [goodEn, goodBn]],
    });
  }
  return made;
}

/** What a cashier types: the start (mostly) or a middle part of a word, at least 3 characters. */
function fragment(random: () => number, word: string): string {
  const chars = [...word];
  if (chars.length <= 4) return chars.join('');
  const length = 3 + Math.floor(random() * (chars.length - 2));
  const start = random() < 0.7 ? 0 : Math.floor(random() * (chars.length - length + 1));
  return chars.slice(start, start + length).join('');
}

function generateQueries(random: () => number, made: readonly Made[], count: number): string[] {
  const queries: string[] = [];
  while (queries.length < count) {
    const { words } = pick(random, made);
    const lang = random() < 0.5 ? 0 : 1;
    const twoWords = random() < 0.35 && words.length >= 2;
    const chosen = twoWords ? [words[0], words.at(-1)] : [pick(random, words)];
    // Words too short for the trigram index ("চা", "দই") are not what this measures.
    const candidates = chosen.map((w) => (w?.[lang] ?? '').split(' ').filter((x) => [...x].length >= 3));
    if (candidates.some((c) => c.length === 0)) continue;
    const parts = candidates.map((c) => {
      const word = pick(random, c);
      return fragment(random, lang === 0 ? word.toLowerCase() : word);
    });
    queries.push(parts.join(' '));
  }
  return queries;
}

/** The FTS5 query searchProducts makes of what was typed, when every word has three characters or more. */
function ftsPhrases(query: string): string {
  return query
    .toLowerCase()
    .split(/\s+/)
    .map((w) => `"${w}"`)
    .join(' AND ');
}

/**
 * The same query without the index, answered the same way: every word as
 * `%word%` against either name over every row, every match ranked as
 * searchProducts ranks, and the best 20 read in full.
 */
function rankedLikeScan(db: ReadableDB, query: string): Product[] {
  const words = searchWords(query);
  const where = words.map(() => "(p.name_en LIKE ? ESCAPE '\\' OR p.name_bn LIKE ? ESCAPE '\\')").join(' AND ');
  const params = words.flatMap((w) => {
    const pattern = `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return [pattern, pattern];
  });
  const matches = sql(
    db,
    `SELECT p.rowid AS rowid, p.name_en, p.name_bn FROM products p WHERE p.active = 1 AND ${where}`,
  ).all(...params) as NameMatch[];
  return productsByRowid(
    db,
    bestMatches(words, matches, LIMIT).map((m) => m.rowid),
  );
}

/** Whether two answers hold the same kind of match at every rank: they differ at most among equals. */
function asRelevant(query: string, a: readonly Product[], b: readonly Product[]): boolean {
  const words = searchWords(query);
  const names = (p: Product | undefined): NameMatch => ({
    rowid: 0,
    name_en: p?.nameEn ?? '',
    name_bn: p?.nameBn ?? '',
  });
  return a.length === b.length && a.every((p, i) => compareMatchKinds(words, names(p), names(b[i])) === 0);
}

export function productSearch(): BenchResult {
  const till = tempTill({ seed: false });
  // The scan gets its own connection, so that its sweeps through the whole
  // table do not evict the index pages from the search's page cache.
  const scan = new Database(till.path, { readonly: true, fileMustExist: true });
  try {
    return measure(till, scan as unknown as ReadableDB);
  } finally {
    scan.close();
    till.cleanup();
  }
}

function measure(till: TempTill, scan: ReadableDB): BenchResult {
  const random = mulberry32(20_240_501);
  const made = generateCatalog(random);
  const { db, now } = till.deps;
  const seedMs = timeMs(() =>
    inTransaction(db, () => {
      for (const m of made) upsertProduct(db, m.product, now());
    }),
  );
  const read = till.store.read;
  const barcodes = made.flatMap((m) => m.product.barcodes);
  console.log(
    `  ${made.length.toLocaleString('en-US')} products, ${barcodes.length.toLocaleString('en-US')} barcodes ` +
      `written in ${(seedMs / 1000).toFixed(1)} s; e.g. "${made[0]?.product.nameEn}" / "${made[0]?.product.nameBn}"`,
  );

  // Barcode lookups, warmed up first.
  const scans = Array.from({ length: LOOKUPS }, () => pick(random, barcodes));
  for (const b of scans.slice(0, 2000)) findByBarcode(read, b);
  const lookupMs = scans.map((b) =>
    timeMs(() => {
      if (!findByBarcode(read, b)) throw new Error(`barcode ${b} not found`);
    }),
  );

  // Name search beside the LIKE scan, alternating which goes first.
  const queries = generateQueries(random, made, WARMUP_QUERIES + QUERIES);
  const searchMs: number[] = [];
  const likeMs: number[] = [];
  let emptySearches = 0;
  let asRelevantAsScan = 0;
  queries.forEach((q, i) => {
    const record = i >= WARMUP_QUERIES;
    let found: Product[] = [];
    let scanned: Product[] = [];
    const search = () =>
      timeMs(() => {
        found = searchProducts(read, q, LIMIT);
      });
    const like = () =>
      timeMs(() => {
        scanned = rankedLikeScan(scan, q);
      });
    let s: number;
    let l: number;
    if (i % 2 === 0) {
      s = search();
      l = like();
    } else {
      l = like();
      s = search();
    }
    if (found.length === 0) emptySearches++;
    if (record) {
      searchMs.push(s);
      likeMs.push(l);
      if (asRelevant(q, found, scanned)) asRelevantAsScan++;
    }
  });
  if (emptySearches > 0) throw new Error(`${emptySearches} searches found nothing; queries come from the names`);
  console.log(
    `  ${LOOKUPS.toLocaleString('en-US')} barcode lookups; ${QUERIES} name queries each way after ${WARMUP_QUERIES} ` +
      `warm-up, e.g. ${queries
        .slice(WARMUP_QUERIES, WARMUP_QUERIES + 8)
        .map((q) => `"${q}"`)
        .join(', ')}`,
  );

  // How many products each query matches decides what the search costs (it
  // ranks them all, up to SEARCH_CANDIDATES); the scan reads every row anyway.
  const countMatches = sql(read, 'SELECT count(*) AS n FROM products_fts WHERE products_fts MATCH ?');
  const matches = queries.slice(WARMUP_QUERIES).map((q) => (countMatches.get(ftsPhrases(q)) as { n: number }).n);

  const lookupP99 = figure('barcode lookup p99', percentile(lookupMs, 99), 'ms');
  const searchP99 = figure('name search p99', percentile(searchMs, 99), 'ms');
  const ratio = figure('p50 ratio (ranked scan / search)', percentile(likeMs, 50) / percentile(searchMs, 50), '×');
  return {
    name: 'product-search',
    figures: [
      figure('barcode lookup p50', percentile(lookupMs, 50), 'ms'),
      lookupP99,
      figure('name search p50', percentile(searchMs, 50), 'ms'),
      searchP99,
      figure("LIKE '%q%' scan, ranked, p50", percentile(likeMs, 50), 'ms'),
      figure("LIKE '%q%' scan, ranked, p99", percentile(likeMs, 99), 'ms'),
      figure('products matched per query p50', percentile(matches, 50), 'products'),
      figure('products matched per query p90', percentile(matches, 90), 'products'),
      figure('answers as relevant as the scan, rank by rank', (100 * asRelevantAsScan) / QUERIES, '%'),
      figure('p99 ratio (ranked scan / search)', percentile(likeMs, 99) / percentile(searchMs, 99), '×'),
      ratio,
    ],
    checks: [check(lookupP99, '<', 1), check(searchP99, '<', 10), check(ratio, '>=', 10)],
  };
}
