import { expect, it } from 'vitest';
import { formatBytes, formatDuration } from './format';

it('gives a database’s size in binary units, one decimal above bytes, in either language', () => {
  expect(formatBytes(0)).toBe('0 B');
  expect(formatBytes(1023)).toBe('1023 B');
  expect(formatBytes(1536)).toBe('1.5 KB');
  expect(formatBytes(48.2 * 1024 * 1024)).toBe('48.2 MB');
  expect(formatBytes(3 * 1024 ** 3, { lang: 'bn' })).toBe('৩.০ জিবি');
});

it('says how long in the two largest units that matter', () => {
  expect(formatDuration(45_000)).toBe('45 s');
  expect(formatDuration(20 * 60_000)).toBe('20 min');
  expect(formatDuration(3 * 3_600_000 + 20 * 60_000 + 5000)).toBe('3 h 20 min');
  expect(formatDuration(2 * 86_400_000 + 4 * 3_600_000 + 59 * 60_000)).toBe('2 d 4 h');
  expect(formatDuration(86_400_000)).toBe('1 d');
  expect(formatDuration(-5)).toBe('0 s');
  expect(formatDuration(3_600_000, { lang: 'bn' })).toBe('১ ঘণ্টা');
});
