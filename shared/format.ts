import { toBanglaDigits } from './money';
import type { Poisha } from './money';
import type { Milli, Unit } from './quantity';

export type Lang = 'en' | 'bn';

export interface FormatOptions {
  /** Bangla digits (০-৯) instead of Latin ones. */
  readonly lang?: Lang;
  /** Leave out the ৳ sign (for columns headed in taka). */
  readonly symbol?: boolean;
}

/** Groups an integer string the South Asian way: 1,23,45,678. */
export function groupLakh(digits: string): string {
  if (digits.length <= 3) return digits;
  const last3 = digits.slice(-3);
  let rest = digits.slice(0, -3);
  const groups: string[] = [];
  while (rest.length > 2) {
    groups.unshift(rest.slice(-2));
    rest = rest.slice(0, -2);
  }
  if (rest.length > 0) groups.unshift(rest);
  return `${groups.join(',')},${last3}`;
}

/** ৳1,23,456.50 — always two decimals, lakh grouping, minus sign before ৳. */
export function formatTaka(amount: Poisha | number, options: FormatOptions = {}): string {
  const negative = amount < 0;
  const abs = Math.abs(amount);
  const whole = Math.floor(abs / 100);
  const fraction = String(abs % 100).padStart(2, '0');
  let text = `${options.symbol === false ? '' : '৳'}${groupLakh(String(whole))}.${fraction}`;
  if (negative) text = `-${text}`;
  return options.lang === 'bn' ? toBanglaDigits(text) : text;
}

/** "3" for pieces; "1.250 kg" for loose goods. */
export function formatQuantity(quantity: Milli, unit: Unit, options: FormatOptions = {}): string {
  let text: string;
  if (unit === 'kg') {
    const sign = quantity < 0 ? '-' : '';
    const abs = Math.abs(quantity);
    text = `${sign}${groupLakh(String(Math.floor(abs / 1000)))}.${String(abs % 1000).padStart(3, '0')} ${options.lang === 'bn' ? 'কেজি' : 'kg'}`;
  } else {
    const whole = quantity / 1000;
    text = Number.isInteger(whole) ? String(whole) : (quantity / 1000).toFixed(3);
  }
  return options.lang === 'bn' ? toBanglaDigits(text) : text;
}

const dhakaDateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Dhaka',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** A moment as the shop reads it, in Bangladesh time: "23/11/2026, 14:05". */
export function formatDhakaTime(epochMs: number, options: FormatOptions = {}): string {
  const text = dhakaDateTime.format(new Date(epochMs));
  return options.lang === 'bn' ? toBanglaDigits(text) : text;
}

const BYTE_UNITS = { en: ['B', 'KB', 'MB', 'GB'], bn: ['বাইট', 'কেবি', 'এমবি', 'জিবি'] } as const;

/** A file's size in binary units with one decimal above bytes: "48.2 MB". */
export function formatBytes(bytes: number, options: FormatOptions = {}): string {
  const units = BYTE_UNITS[options.lang ?? 'en'];
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const text = `${unit === 0 ? String(Math.round(value)) : value.toFixed(1)} ${units[unit]}`;
  return options.lang === 'bn' ? toBanglaDigits(text) : text;
}

const DURATION_UNITS = {
  en: { d: 'd', h: 'h', min: 'min', s: 's' },
  bn: { d: 'দিন', h: 'ঘণ্টা', min: 'মিনিট', s: 'সেকেন্ড' },
} as const;

/** How long, in the two largest units that matter: "2 d 4 h", "3 h 20 min", "45 s". */
export function formatDuration(ms: number, options: FormatOptions = {}): string {
  const u = DURATION_UNITS[options.lang ?? 'en'];
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  let text: string;
  if (d > 0) text = h > 0 ? `${d} ${u.d} ${h} ${u.h}` : `${d} ${u.d}`;
  else if (h > 0) text = m > 0 ? `${h} ${u.h} ${m} ${u.min}` : `${h} ${u.h}`;
  else if (m > 0) text = `${m} ${u.min}`;
  else text = `${s} ${u.s}`;
  return options.lang === 'bn' ? toBanglaDigits(text) : text;
}
