/**
 * A Bangladeshi grocery chain's catalog, generated but shaped like a real
 * one: packaged goods under the brands people know (Pran, Teer, Radhuni,
 * ACI, Fresh …) and a tail of local ones, in the sizes they come in, at
 * prices near the shelf price of that size; loose rice, dal, vegetables, fish
 * and meat sold by the kg with an in-store scale code; VAT by kind of goods
 * (fresh food and staples exempt, packaged food reduced, toiletries and
 * soft drinks standard). English and Bangla names, EAN-13 barcodes with
 * Bangladesh's GS1 prefix 894. The same seed gives the same catalog.
 */
import type { z } from 'zod';
import type { pulledProduct } from '../../shared/wire/pull';
import { seededRandom } from '../../main/testing/random';

export type SeedProduct = z.infer<typeof pulledProduct>;

export type Pair = readonly [en: string, bn: string];

/** A size as sold, with the shelf price of that size in taka. */
type Size = readonly [amount: number, unit: 'ml' | 'L' | 'g' | 'kg' | 'pcs', taka: number];

interface Good {
  readonly name: Pair;
  readonly category: string;
  /** Basis points; VAT is included in the shelf price. */
  readonly vat: number;
  readonly sizes: readonly Size[];
  readonly brands: readonly Pair[];
  readonly variants?: readonly Pair[];
}

const B = {
  pran: ['Pran', 'প্রাণ'],
  aci: ['ACI', 'এসিআই'],
  square: ['Square', 'স্কয়ার'],
  radhuni: ['Radhuni', 'রাঁধুনী'],
  fresh: ['Fresh', 'ফ্রেশ'],
  teer: ['Teer', 'তীর'],
  rupchanda: ['Rupchanda', 'রূপচাঁদা'],
  bashundhara: ['Bashundhara', 'বসুন্ধরা'],
  ispahani: ['Ispahani', 'ইস্পাহানি'],
  akij: ['Akij', 'আকিজ'],
  polar: ['Polar', 'পোলার'],
  igloo: ['Igloo', 'ইগলু'],
  milkVita: ['Milk Vita', 'মিল্ক ভিটা'],
  aarong: ['Aarong Dairy', 'আড়ং ডেইরি'],
  danish: ['Danish', 'ডেনিশ'],
  olympic: ['Olympic', 'অলিম্পিক'],
  cocola: ['Cocola', 'কোকোলা'],
  nabisco: ['Nabisco', 'নাবিস্কো'],
  kazi: ['Kazi & Kazi', 'কাজী অ্যান্ড কাজী'],
  seylon: ['Seylon', 'সিলন'],
  mum: ['Mum', 'মাম'],
  keya: ['Keya', 'কেয়া'],
  kohinoor: ['Kohinoor', 'কোহিনূর'],
  meril: ['Meril', 'মেরিল'],
  lux: ['Lux', 'লাক্স'],
  lifebuoy: ['Lifebuoy', 'লাইফবয়'],
  wheel: ['Wheel', 'হুইল'],
  rin: ['Rin', 'রিন'],
  vim: ['Vim', 'ভিম'],
  savlon: ['Savlon', 'স্যাভলন'],
  pepsodent: ['Pepsodent', 'পেপসোডেন্ট'],
  closeup: ['Closeup', 'ক্লোজআপ'],
  sunsilk: ['Sunsilk', 'সানসিল্ক'],
  parachute: ['Parachute', 'প্যারাসুট'],
  matador: ['Matador', 'মাতাদোর'],
  deshi: ['Deshi', 'দেশী'],
  chashi: ['Chashi', 'চাষী'],
  nestle: ['Nestle', 'নেসলে'],
  marks: ['Marks', 'মার্কস'],
  diploma: ['Diploma', 'ডিপ্লোমা'],
  arku: ['Arku', 'আরকু'],
  sajeeb: ['Sajeeb', 'সজীব'],
  mojo: ['Mojo', 'মোজো'],
  clemon: ['Clemon', 'ক্লেমন'],
  speed: ['Speed', 'স্পিড'],
  tiger: ['Tiger', 'টাইগার'],
  kishwan: ['Kishwan', 'কিশোয়ান'],
  bombay: ['Bombay Sweets', 'বোম্বে সুইটস'],
  ruchi: ['Ruchi', 'রুচি'],
  chopstick: ['Mr. Noodles', 'মি. নুডলস'],
  maggi: ['Maggi', 'ম্যাগি'],
  finlay: ['Finlay', 'ফিনলে'],
  taaza: ['Taaza', 'তাজা'],
  moushumi: ['Moushumi', 'মৌসুমী'],
  pusti: ['Pusti', 'পুষ্টি'],
  shurjomukhi: ['Shurjomukhi', 'সূর্যমুখী'],
  dettol: ['Dettol', 'ডেটল'],
  harpic: ['Harpic', 'হারপিক'],
  odonil: ['Odonil', 'ওডোনিল'],
  good: ['Goodknight', 'গুডনাইট'],
  bashundharaTissue: ['Bashundhara Tissue', 'বসুন্ধরা টিস্যু'],
  smc: ['SMC', 'এসএমসি'],
  supermom: ['Supermom', 'সুপারমম'],
  molfix: ['Molfix', 'মলফিক্স'],
  cerelac: ['Cerelac', 'সেরেলাক'],
  ifad: ['Ifad', 'ইফাদ'],
  aarongEgg: ['Kazi Farms', 'কাজী ফার্মস'],
  golden: ['Golden Harvest', 'গোল্ডেন হারভেস্ট'],
  bd: ['BD Foods', 'বিডি ফুডস'],
  fortune: ['Fortune', 'ফরচুন'],
  molla: ['Molla', 'মোল্লা'],
  kinley: ['Kinley', 'কিনলে'],
  savoy: ['Savoy', 'স্যাভয়'],
  lovello: ['Lovello', 'লাভেলো'],
  ahmed: ['Ahmed', 'আহমেদ'],
} as const satisfies Record<string, Pair>;

const V = {
  juice: [
    ['Mango', 'আম'],
    ['Litchi', 'লিচু'],
    ['Orange', 'কমলা'],
    ['Guava', 'পেয়ারা'],
  ],
  biscuit: [
    ['Cream', 'ক্রিম'],
    ['Butter', 'বাটার'],
    ['Chocolate', 'চকলেট'],
    ['Salted', 'নোনতা'],
    ['Coconut', 'নারকেল'],
  ],
  chips: [
    ['Classic', 'ক্লাসিক'],
    ['Spicy', 'ঝাল'],
    ['Tomato', 'টমেটো'],
  ],
  soap: [
    ['Rose', 'গোলাপ'],
    ['Lemon', 'লেবু'],
    ['Herbal', 'হারবাল'],
    ['Total', 'টোটাল'],
  ],
  noodles: [
    ['Masala', 'মশলা'],
    ['Chicken', 'চিকেন'],
    ['Vegetable', 'সবজি'],
  ],
  ice: [
    ['Vanilla', 'ভ্যানিলা'],
    ['Chocolate', 'চকলেট'],
    ['Mango', 'আম'],
    ['Strawberry', 'স্ট্রবেরি'],
  ],
} as const satisfies Record<string, readonly Pair[]>;

const GOODS: readonly Good[] = [
  // Rice, flour and dal, packed.
  g(
    ['Chinigura Rice', 'চিনিগুড়া চাল'],
    'Rice & Grains',
    0,
    [
      [1, 'kg', 160],
      [2, 'kg', 315],
      [5, 'kg', 770],
    ],
    [B.pran, B.aci, B.teer, B.rupchanda, B.chashi, B.fresh],
  ),
  g(
    ['Miniket Rice', 'মিনিকেট চাল'],
    'Rice & Grains',
    0,
    [
      [5, 'kg', 390],
      [10, 'kg', 770],
      [25, 'kg', 1880],
    ],
    [B.teer, B.fresh, B.rupchanda, B.aci, B.ifad],
  ),
  g(
    ['Nazirshail Rice', 'নাজিরশাইল চাল'],
    'Rice & Grains',
    0,
    [
      [5, 'kg', 420],
      [10, 'kg', 830],
    ],
    [B.teer, B.fresh, B.chashi],
  ),
  g(
    ['Atta', 'আটা'],
    'Rice & Grains',
    0,
    [
      [1, 'kg', 65],
      [2, 'kg', 125],
      [5, 'kg', 300],
    ],
    [B.teer, B.fresh, B.bashundhara, B.ifad, B.aci, B.pusti],
  ),
  g(
    ['Maida', 'ময়দা'],
    'Rice & Grains',
    0,
    [
      [1, 'kg', 75],
      [2, 'kg', 145],
    ],
    [B.teer, B.fresh, B.bashundhara, B.ifad],
  ),
  g(
    ['Suji', 'সুজি'],
    'Rice & Grains',
    0,
    [
      [500, 'g', 45],
      [1, 'kg', 85],
    ],
    [B.teer, B.fresh, B.pran, B.bashundhara],
  ),
  g(
    ['Masoor Dal', 'মসুর ডাল'],
    'Rice & Grains',
    0,
    [
      [500, 'g', 70],
      [1, 'kg', 135],
    ],
    [B.aci, B.pran, B.teer, B.fresh, B.radhuni],
  ),
  g(
    ['Moong Dal', 'মুগ ডাল'],
    'Rice & Grains',
    0,
    [
      [500, 'g', 95],
      [1, 'kg', 180],
    ],
    [B.aci, B.pran, B.teer, B.radhuni],
  ),
  g(
    ['Chola Boot', 'ছোলা বুট'],
    'Rice & Grains',
    0,
    [
      [500, 'g', 60],
      [1, 'kg', 115],
    ],
    [B.aci, B.pran, B.teer],
  ),
  g(['Poha', 'চিড়া'], 'Rice & Grains', 0, [[500, 'g', 55]], [B.pran, B.bd, B.aci]),
  // Oil, sugar, salt.
  g(
    ['Soybean Oil', 'সয়াবিন তেল'],
    'Oil, Sugar & Salt',
    0,
    [
      [1, 'L', 189],
      [2, 'L', 375],
      [5, 'L', 925],
    ],
    [B.teer, B.rupchanda, B.fresh, B.pusti, B.bashundhara, B.fortune],
  ),
  g(
    ['Mustard Oil', 'সরিষার তেল'],
    'Oil, Sugar & Salt',
    0,
    [
      [250, 'ml', 85],
      [500, 'ml', 165],
      [1, 'L', 320],
    ],
    [B.radhuni, B.teer, B.pran, B.rupchanda, B.shurjomukhi],
  ),
  g(
    ['Rice Bran Oil', 'রাইস ব্র্যান তেল'],
    'Oil, Sugar & Salt',
    500,
    [
      [1, 'L', 240],
      [5, 'L', 1150],
    ],
    [B.teer, B.fresh, B.rupchanda],
  ),
  g(
    ['Ghee', 'ঘি'],
    'Oil, Sugar & Salt',
    500,
    [
      [200, 'g', 390],
      [400, 'g', 760],
      [900, 'g', 1650],
    ],
    [B.aarong, B.pran, B.milkVita, B.danish, B.radhuni],
  ),
  g(
    ['Sugar', 'চিনি'],
    'Oil, Sugar & Salt',
    0,
    [
      [1, 'kg', 135],
      [2, 'kg', 268],
    ],
    [B.fresh, B.teer, B.ispahani, B.deshi],
  ),
  g(
    ['Salt', 'লবণ'],
    'Oil, Sugar & Salt',
    0,
    [
      [500, 'g', 22],
      [1, 'kg', 42],
    ],
    [B.aci, B.molla, B.fresh, B.teer, B.pusti],
  ),
  // Spices.
  g(
    ['Turmeric Powder', 'হলুদ গুঁড়া'],
    'Spices',
    500,
    [
      [50, 'g', 30],
      [100, 'g', 58],
      [200, 'g', 112],
    ],
    [B.radhuni, B.pran, B.aci, B.fresh, B.arku],
  ),
  g(
    ['Chilli Powder', 'মরিচ গুঁড়া'],
    'Spices',
    500,
    [
      [50, 'g', 35],
      [100, 'g', 68],
      [200, 'g', 130],
    ],
    [B.radhuni, B.pran, B.aci, B.fresh, B.arku],
  ),
  g(
    ['Coriander Powder', 'ধনিয়া গুঁড়া'],
    'Spices',
    500,
    [
      [50, 'g', 25],
      [100, 'g', 48],
    ],
    [B.radhuni, B.pran, B.aci, B.arku],
  ),
  g(
    ['Cumin Powder', 'জিরা গুঁড়া'],
    'Spices',
    500,
    [
      [50, 'g', 65],
      [100, 'g', 125],
    ],
    [B.radhuni, B.pran, B.aci],
  ),
  g(
    ['Garam Masala', 'গরম মশলা'],
    'Spices',
    500,
    [
      [15, 'g', 30],
      [40, 'g', 75],
    ],
    [B.radhuni, B.pran, B.aci],
  ),
  g(['Biryani Masala', 'বিরিয়ানি মশলা'], 'Spices', 500, [[40, 'g', 60]], [B.radhuni, B.pran, B.aci]),
  g(
    ['Beef Masala', 'মাংসের মশলা'],
    'Spices',
    500,
    [
      [20, 'g', 35],
      [100, 'g', 140],
    ],
    [B.radhuni, B.pran, B.aci],
  ),
  g(
    ['Fish Curry Masala', 'মাছের মশলা'],
    'Spices',
    500,
    [
      [20, 'g', 30],
      [100, 'g', 125],
    ],
    [B.radhuni, B.pran],
  ),
  // Beverages.
  g(
    ['Juice', 'জুস'],
    'Beverages',
    1500,
    [
      [200, 'ml', 25],
      [250, 'ml', 30],
      [1, 'L', 110],
    ],
    [B.pran, B.akij, B.sajeeb, B.igloo],
    V.juice,
  ),
  g(
    ['Drinking Water', 'খাবার পানি'],
    'Beverages',
    1500,
    [
      [500, 'ml', 20],
      [1500, 'ml', 30],
      [5, 'L', 75],
    ],
    [B.mum, B.fresh, B.kinley, B.akij],
  ),
  g(
    ['Cola', 'কোলা'],
    'Beverages',
    1500,
    [
      [250, 'ml', 25],
      [500, 'ml', 40],
      [2, 'L', 120],
    ],
    [B.mojo, B.akij, B.pran],
  ),
  g(
    ['Lemon Drink', 'লেমন ড্রিংক'],
    'Beverages',
    1500,
    [
      [250, 'ml', 25],
      [500, 'ml', 40],
    ],
    [B.clemon, B.akij, B.pran],
  ),
  g(['Energy Drink', 'এনার্জি ড্রিংক'], 'Beverages', 1500, [[250, 'ml', 45]], [B.speed, B.tiger, B.akij]),
  g(
    ['Tea', 'চা পাতা'],
    'Beverages',
    500,
    [
      [200, 'g', 115],
      [400, 'g', 225],
      [500, 'g', 280],
    ],
    [B.ispahani, B.finlay, B.taaza, B.kazi, B.seylon],
  ),
  g(
    ['Tea Bags', 'টি ব্যাগ'],
    'Beverages',
    500,
    [
      [50, 'pcs', 120],
      [100, 'pcs', 230],
    ],
    [B.ispahani, B.finlay, B.taaza, B.kazi],
  ),
  g(
    ['Instant Coffee', 'ইনস্ট্যান্ট কফি'],
    'Beverages',
    1500,
    [
      [50, 'g', 290],
      [100, 'g', 560],
    ],
    [B.nestle, B.kazi],
  ),
  // Dairy, eggs, frozen.
  g(
    ['Liquid Milk', 'তরল দুধ'],
    'Dairy & Eggs',
    0,
    [
      [500, 'ml', 50],
      [1, 'L', 95],
    ],
    [B.milkVita, B.aarong, B.pran, B.igloo, B.akij],
  ),
  g(
    ['Full Cream Milk Powder', 'ফুল ক্রিম গুঁড়া দুধ'],
    'Dairy & Eggs',
    500,
    [
      [500, 'g', 420],
      [1, 'kg', 820],
    ],
    [B.marks, B.diploma, B.danish, B.milkVita, B.fresh],
  ),
  g(
    ['Yogurt', 'দই'],
    'Dairy & Eggs',
    500,
    [
      [500, 'g', 90],
      [1, 'kg', 170],
    ],
    [B.aarong, B.milkVita, B.pran, B.igloo],
  ),
  g(
    ['Butter', 'মাখন'],
    'Dairy & Eggs',
    500,
    [
      [100, 'g', 140],
      [200, 'g', 270],
    ],
    [B.aarong, B.milkVita, B.pran],
  ),
  g(
    ['Eggs', 'ডিম'],
    'Dairy & Eggs',
    0,
    [
      [6, 'pcs', 78],
      [12, 'pcs', 150],
      [30, 'pcs', 370],
    ],
    [B.aarongEgg, B.golden, B.deshi],
  ),
  g(
    ['Ice Cream', 'আইসক্রিম'],
    'Frozen',
    1500,
    [
      [500, 'ml', 240],
      [1, 'L', 420],
    ],
    [B.igloo, B.polar, B.savoy, B.lovello],
    V.ice,
  ),
  g(
    ['Chicken Nuggets', 'চিকেন নাগেটস'],
    'Frozen',
    1000,
    [
      [250, 'g', 210],
      [500, 'g', 400],
    ],
    [B.golden, B.aarongEgg, B.bombay],
  ),
  g(
    ['Paratha', 'পরোটা'],
    'Frozen',
    1000,
    [
      [5, 'pcs', 95],
      [10, 'pcs', 180],
      [20, 'pcs', 340],
    ],
    [B.golden, B.pran, B.aarongEgg],
  ),
  // Snacks.
  g(
    ['Biscuits', 'বিস্কুট'],
    'Snacks',
    750,
    [
      [100, 'g', 30],
      [250, 'g', 70],
      [400, 'g', 110],
    ],
    [B.olympic, B.pran, B.danish, B.cocola, B.nabisco, B.bombay, B.akij],
    V.biscuit,
  ),
  g(
    ['Potato Chips', 'আলুর চিপস'],
    'Snacks',
    1500,
    [
      [25, 'g', 20],
      [50, 'g', 40],
      [100, 'g', 75],
    ],
    [B.bombay, B.pran, B.ruchi, B.kishwan],
    V.chips,
  ),
  g(
    ['Chanachur', 'চানাচুর'],
    'Snacks',
    750,
    [
      [150, 'g', 50],
      [300, 'g', 95],
    ],
    [B.bombay, B.pran, B.ruchi, B.kishwan],
  ),
  g(
    ['Instant Noodles', 'ইনস্ট্যান্ট নুডলস'],
    'Snacks',
    750,
    [
      [4, 'pcs', 90],
      [8, 'pcs', 170],
      [12, 'pcs', 245],
    ],
    [B.maggi, B.chopstick, B.cocola, B.pran],
    V.noodles,
  ),
  g(
    ['Cake', 'কেক'],
    'Snacks',
    750,
    [
      [50, 'g', 15],
      [300, 'g', 130],
    ],
    [B.olympic, B.pran, B.danish, B.bombay],
  ),
  g(
    ['Chocolate Bar', 'চকলেট বার'],
    'Snacks',
    1500,
    [
      [20, 'g', 20],
      [45, 'g', 50],
    ],
    [B.pran, B.olympic, B.nestle],
  ),
  g(
    ['Jam', 'জ্যাম'],
    'Snacks',
    750,
    [
      [375, 'g', 190],
      [500, 'g', 245],
    ],
    [B.pran, B.ahmed, B.bd],
    [
      ['Mixed Fruit', 'মিক্সড ফ্রুট'],
      ['Orange', 'কমলা'],
      ['Guava', 'পেয়ারা'],
    ],
  ),
  g(
    ['Tomato Ketchup', 'টমেটো কেচাপ'],
    'Snacks',
    750,
    [
      [340, 'g', 150],
      [1, 'kg', 340],
    ],
    [B.pran, B.ahmed, B.bd, B.ruchi],
  ),
  g(
    ['Honey', 'মধু'],
    'Snacks',
    500,
    [
      [250, 'g', 250],
      [500, 'g', 480],
    ],
    [B.pran, B.chashi, B.deshi],
  ),
  // Personal care.
  g(
    ['Beauty Soap', 'সাবান'],
    'Personal Care',
    1500,
    [
      [100, 'g', 55],
      [150, 'g', 80],
    ],
    [B.lux, B.meril, B.keya, B.kohinoor, B.square],
  ),
  g(
    ['Antibacterial Soap', 'অ্যান্টিব্যাকটেরিয়াল সাবান'],
    'Personal Care',
    1500,
    [
      [100, 'g', 50],
      [150, 'g', 70],
    ],
    [B.lifebuoy, B.savlon, B.dettol],
    V.soap,
  ),
  g(
    ['Toothpaste', 'টুথপেস্ট'],
    'Personal Care',
    1500,
    [
      [45, 'g', 60],
      [100, 'g', 125],
      [200, 'g', 230],
    ],
    [B.pepsodent, B.closeup, B.meril, B.kohinoor],
  ),
  g(
    ['Shampoo', 'শ্যাম্পু'],
    'Personal Care',
    1500,
    [
      [180, 'ml', 260],
      [340, 'ml', 460],
    ],
    [B.sunsilk, B.meril, B.keya, B.square],
  ),
  g(
    ['Coconut Oil', 'নারকেল তেল'],
    'Personal Care',
    1500,
    [
      [100, 'ml', 75],
      [200, 'ml', 140],
      [350, 'ml', 235],
    ],
    [B.parachute, B.meril, B.kohinoor, B.square],
  ),
  g(
    ['Petroleum Jelly', 'পেট্রোলিয়াম জেলি'],
    'Personal Care',
    1500,
    [
      [50, 'ml', 70],
      [100, 'ml', 125],
    ],
    [B.meril, B.square, B.kohinoor],
  ),
  g(
    ['Hand Wash', 'হ্যান্ড ওয়াশ'],
    'Personal Care',
    1500,
    [
      [200, 'ml', 130],
      [1, 'L', 420],
    ],
    [B.lifebuoy, B.savlon, B.dettol, B.meril],
  ),
  // Household.
  g(
    ['Detergent Powder', 'ডিটারজেন্ট পাউডার'],
    'Household',
    1500,
    [
      [500, 'g', 85],
      [1, 'kg', 160],
      [2, 'kg', 310],
    ],
    [B.wheel, B.rin, B.kohinoor, B.square, B.akij],
  ),
  g(
    ['Dishwashing Bar', 'ডিশওয়াশিং বার'],
    'Household',
    1500,
    [
      [125, 'g', 20],
      [300, 'g', 45],
    ],
    [B.vim, B.square, B.kohinoor],
  ),
  g(
    ['Dishwashing Liquid', 'ডিশওয়াশিং লিকুইড'],
    'Household',
    1500,
    [
      [500, 'ml', 110],
      [1, 'L', 210],
    ],
    [B.vim, B.kohinoor, B.square],
  ),
  g(
    ['Toilet Cleaner', 'টয়লেট ক্লিনার'],
    'Household',
    1500,
    [
      [500, 'ml', 150],
      [750, 'ml', 210],
    ],
    [B.harpic, B.aci, B.kohinoor],
  ),
  g(
    ['Floor Cleaner', 'ফ্লোর ক্লিনার'],
    'Household',
    1500,
    [
      [500, 'ml', 140],
      [1, 'L', 260],
    ],
    [B.dettol, B.aci, B.savlon],
  ),
  g(['Mosquito Coil', 'মশার কয়েল'], 'Household', 1500, [[10, 'pcs', 70]], [B.aci, B.good, B.square]),
  g(['Air Freshener', 'এয়ার ফ্রেশনার'], 'Household', 1500, [[300, 'ml', 280]], [B.odonil, B.aci, B.kohinoor]),
  g(
    ['Toilet Tissue', 'টয়লেট টিস্যু'],
    'Household',
    1500,
    [
      [4, 'pcs', 110],
      [12, 'pcs', 320],
    ],
    [B.bashundharaTissue, B.fresh],
  ),
  g(
    ['Facial Tissue', 'ফেসিয়াল টিস্যু'],
    'Household',
    1500,
    [
      [100, 'pcs', 70],
      [150, 'pcs', 100],
    ],
    [B.bashundharaTissue, B.fresh],
  ),
  // Baby.
  g(
    ['Baby Diapers', 'বেবি ডায়াপার'],
    'Baby Care',
    500,
    [
      [30, 'pcs', 890],
      [50, 'pcs', 1380],
    ],
    [B.supermom, B.molfix, B.smc],
    [
      ['Small', 'ছোট'],
      ['Medium', 'মাঝারি'],
      ['Large', 'বড়'],
    ],
  ),
  g(
    ['Baby Cereal', 'বেবি সিরিয়াল'],
    'Baby Care',
    500,
    [[350, 'g', 520]],
    [B.cerelac, B.nestle],
    [
      ['Wheat', 'গম'],
      ['Rice', 'চাল'],
      ['Apple', 'আপেল'],
    ],
  ),
  g(['Baby Wipes', 'বেবি ওয়াইপস'], 'Baby Care', 1500, [[80, 'pcs', 230]], [B.supermom, B.smc, B.molfix]),
];

/** Loose goods weighed at the counter: price per kg, a 5-digit in-store scale code. */
const LOOSE: readonly (readonly [en: string, bn: string, category: string, takaPerKg: number])[] = [
  ['Potato', 'আলু', 'Fresh Vegetables', 45],
  ['Onion (Deshi)', 'দেশি পেঁয়াজ', 'Fresh Vegetables', 90],
  ['Onion (Imported)', 'আমদানি পেঁয়াজ', 'Fresh Vegetables', 75],
  ['Garlic (Deshi)', 'দেশি রসুন', 'Fresh Vegetables', 220],
  ['Ginger', 'আদা', 'Fresh Vegetables', 240],
  ['Green Chilli', 'কাঁচা মরিচ', 'Fresh Vegetables', 120],
  ['Tomato', 'টমেটো', 'Fresh Vegetables', 80],
  ['Brinjal', 'বেগুন', 'Fresh Vegetables', 70],
  ['Cauliflower', 'ফুলকপি', 'Fresh Vegetables', 50],
  ['Cabbage', 'বাঁধাকপি', 'Fresh Vegetables', 40],
  ['Carrot', 'গাজর', 'Fresh Vegetables', 60],
  ['Cucumber', 'শসা', 'Fresh Vegetables', 60],
  ['Bitter Gourd', 'করলা', 'Fresh Vegetables', 90],
  ['Pointed Gourd', 'পটল', 'Fresh Vegetables', 70],
  ['Okra', 'ঢেঁড়স', 'Fresh Vegetables', 70],
  ['Pumpkin', 'মিষ্টি কুমড়া', 'Fresh Vegetables', 45],
  ['Bottle Gourd', 'লাউ', 'Fresh Vegetables', 50],
  ['Green Papaya', 'কাঁচা পেঁপে', 'Fresh Vegetables', 40],
  ['Banana (Sagor)', 'সাগর কলা', 'Fresh Fruit', 110],
  ['Apple (Fuji)', 'ফুজি আপেল', 'Fresh Fruit', 320],
  ['Orange (Malta)', 'মাল্টা', 'Fresh Fruit', 280],
  ['Guava', 'পেয়ারা', 'Fresh Fruit', 100],
  ['Mango (Himsagar)', 'হিমসাগর আম', 'Fresh Fruit', 160],
  ['Grapes (Green)', 'সবুজ আঙুর', 'Fresh Fruit', 380],
  ['Pomegranate', 'ডালিম', 'Fresh Fruit', 450],
  ['Rui Fish', 'রুই মাছ', 'Fish & Meat', 380],
  ['Katla Fish', 'কাতলা মাছ', 'Fish & Meat', 400],
  ['Pangas Fish', 'পাঙ্গাস মাছ', 'Fish & Meat', 200],
  ['Tilapia Fish', 'তেলাপিয়া মাছ', 'Fish & Meat', 240],
  ['Hilsa (Ilish)', 'ইলিশ মাছ', 'Fish & Meat', 1400],
  ['Prawn (Golda)', 'গলদা চিংড়ি', 'Fish & Meat', 950],
  ['Broiler Chicken', 'ব্রয়লার মুরগি', 'Fish & Meat', 210],
  ['Sonali Chicken', 'সোনালি মুরগি', 'Fish & Meat', 320],
  ['Beef (Bone-in)', 'গরুর মাংস (হাড়সহ)', 'Fish & Meat', 780],
  ['Mutton', 'খাসির মাংস', 'Fish & Meat', 1150],
  ['Loose Miniket Rice', 'খোলা মিনিকেট চাল', 'Rice & Grains', 76],
  ['Loose Coarse Rice', 'খোলা মোটা চাল', 'Rice & Grains', 56],
  ['Loose Masoor Dal', 'খোলা মসুর ডাল', 'Rice & Grains', 110],
  ['Loose Sugar', 'খোলা চিনি', 'Oil, Sugar & Salt', 128],
  ['Loose Atta', 'খোলা আটা', 'Rice & Grains', 52],
  ['Dates (Medjool)', 'মেডজুল খেজুর', 'Fresh Fruit', 1600],
  ['Puffed Rice (Muri)', 'মুড়ি', 'Rice & Grains', 90],
];

function g(
  name: Pair,
  category: string,
  vat: number,
  sizes: Size[],
  brands: readonly Pair[],
  variants?: readonly Pair[],
): Good {
  return variants ? { name, category, vat, sizes, brands, variants } : { name, category, vat, sizes, brands };
}

const UNIT_BN: Record<Size[1], string> = { ml: 'মিলি', L: 'লিটার', g: 'গ্রাম', kg: 'কেজি', pcs: 'পিস' };

export function banglaDigits(n: number): string {
  return String(n).replace(/\d/g, (d) => '০১২৩৪৫৬৭৮৯'[Number(d)] ?? d);
}

/** A valid EAN-13 of the given 12 leading digits. */
export function ean13(body12: string): string {
  const sum = [...body12].reduce((s, d, i) => s + Number(d) * (i % 2 === 0 ? 1 : 3), 0);
  return `${body12}${(10 - (sum % 10)) % 10}`;
}

/** A product's id, stable for its SKU, so that seeding twice changes nothing. */
function productId(n: number): string {
  return `0190e000-0000-7000-8000-${String(n).padStart(12, '0')}`;
}

/** Prices end in whole taka, and from ৳100 up in 5 taka, as shelf labels do. */
function shelfPrice(taka: number): number {
  const rounded = taka >= 100 ? Math.round(taka / 5) * 5 : Math.round(taka);
  return Math.max(1, rounded) * 100;
}

export interface CatalogOptions {
  /** How many products; the known brands come first, local brands fill the rest. */
  readonly size?: number;
  readonly seed?: number;
}

/** The chain's catalog: loose goods, then packaged goods by known brands, then local brands, up to `size`. */
export function grocerCatalog(options: CatalogOptions = {}): SeedProduct[] {
  const size = options.size ?? 2000;
  const random = seededRandom(options.seed ?? 2026);
  const products: SeedProduct[] = [];
  const seen = new Set<string>();
  const add = (p: Omit<SeedProduct, 'id' | 'sku' | 'active'>) => {
    if (products.length >= size || seen.has(p.nameEn)) return;
    seen.add(p.nameEn);
    const n = products.length + 1;
    products.push({ id: productId(n), sku: `HT${String(n).padStart(6, '0')}`, active: true, ...p });
  };

  LOOSE.forEach(([en, bn, category, perKg], i) =>
    add({
      nameEn: en,
      nameBn: bn,
      category,
      unit: 'kg',
      price: shelfPrice(perKg),
      vatRate: 0,
      vatMode: 'inclusive',
      // In-store scale labels: prefix 2, a 5-digit item code; the till reads the code.
      barcodes: [String(21000 + i)],
    }),
  );

  let barcode = 100_001;
  const packaged = (brand: Pair, good: Good, variant: Pair | undefined, [amount, unit, taka]: Size, markup: number) => {
    const size = `${amount}${unit === 'pcs' ? ' pcs' : unit}`;
    const nameEn = [brand[0], variant?.[0], good.name[0], size].filter(Boolean).join(' ');
    const nameBn = [brand[1], variant?.[1], good.name[1], `${banglaDigits(amount)} ${UNIT_BN[unit]}`]
      .filter(Boolean)
      .join(' ');
    const barcodes = [ean13(`894${String(barcode++).padStart(9, '0')}`)];
    add({
      nameEn,
      nameBn,
      category: good.category,
      unit: 'piece',
      price: shelfPrice(taka * markup),
      vatRate: good.vat,
      vatMode: 'inclusive',
      barcodes,
    });
  };

  // Known brands: every brand of a good in every size, a variant or two where the good has them.
  for (const good of GOODS) {
    for (const brand of good.brands) {
      const markup = 0.92 + random() * 0.18;
      const variants = good.variants ? good.variants.filter(() => random() < 0.6) : [undefined];
      for (const variant of variants.length > 0 ? variants : [good.variants?.[0]]) {
        for (const s of good.sizes) packaged(brand, good, variant, s, markup);
      }
    }
  }

  // Local brands fill the shelves to the size asked for.
  const local = localBrands(random, 400);
  while (products.length < size) {
    const good = pick(random, GOODS);
    const variant = good.variants && random() < 0.5 ? pick(random, good.variants) : undefined;
    packaged(pick(random, local), good, variant, pick(random, good.sizes), 0.8 + random() * 0.15);
  }
  return products;
}

const SYLLABLES: readonly Pair[] = [
  ['ra', 'রা'],
  ['ja', 'জা'],
  ['ka', 'কা'],
  ['ma', 'মা'],
  ['na', 'না'],
  ['sha', 'শা'],
  ['ti', 'তি'],
  ['ru', 'রু'],
  ['pa', 'পা'],
  ['li', 'লি'],
  ['mo', 'মো'],
  ['de', 'দে'],
  ['ba', 'বা'],
  ['su', 'সু'],
  ['no', 'নো'],
  ['ri', 'রি'],
  ['ga', 'গা'],
  ['ho', 'হো'],
  ['bi', 'বি'],
  ['ko', 'কো'],
  ['chi', 'চি'],
  ['dha', 'ধা'],
  ['me', 'মে'],
  ['ta', 'তা'],
];
const ENDINGS: readonly Pair[] = [
  ['', ''],
  ['n', 'ন'],
  ['r', 'র'],
  ['l', 'ল'],
  ['m', 'ম'],
];

/**
 * Small local brands, spelt in both scripts from the same syllables
 * ("Rajaman" / "রাজামান"), none named like a brand in `taken`.
 */
export function localBrands(random: () => number, count: number, taken: readonly Pair[] = Object.values(B)): Pair[] {
  const seen = new Set<string>(taken.map(([en]) => en));
  const brands: Pair[] = [];
  while (brands.length < count) {
    const parts = Array.from({ length: random() < 0.6 ? 2 : 3 }, () => pick(random, SYLLABLES));
    const [endEn, endBn] = pick(random, ENDINGS);
    const en = parts.map(([e]) => e).join('') + endEn;
    const name = en.charAt(0).toUpperCase() + en.slice(1);
    if (seen.has(name)) continue;
    seen.add(name);
    brands.push([name, parts.map(([, b]) => b).join('') + endBn]);
  }
  return brands;
}

export function pick<T>(random: () => number, list: readonly T[]): T {
  const item = list[Math.floor(random() * list.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}
