import { assert } from './assert';

// Web Crypto is a global in Node 20+, Electron and every browser we target;
// declared here so that shared/ needs neither DOM nor Node typings.
declare const crypto: { getRandomValues<T extends Uint8Array>(array: T): T };

export type RandomBytes = (length: number) => Uint8Array;

export const webRandomBytes: RandomBytes = (length) => crypto.getRandomValues(new Uint8Array(length));

/**
 * Draws random bytes from a pool that `fill` refills with fresh random bytes
 * when it runs out: one call to the system's generator per 256 ids rather
 * than one per id, which costs a few microseconds on every sale. Each byte is
 * handed out once, as a copy, so a caller may change what it gets.
 */
export function pooledRandomBytes(fill: (pool: Uint8Array) => void, poolSize = 4096): RandomBytes {
  const pool = new Uint8Array(poolSize);
  let offset = poolSize;
  return (length) => {
    if (length > poolSize) {
      const bytes = new Uint8Array(length);
      fill(bytes);
      return bytes;
    }
    if (offset + length > poolSize) {
      fill(pool);
      offset = 0;
    }
    const bytes = pool.slice(offset, offset + length);
    offset += length;
    return bytes;
  };
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const UUID_V7_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids made
 * at a till sort by creation time, so the central database's indexes stay
 * append-mostly, and no server ever rewrites a key.
 *
 * Within one generator, ids are strictly increasing even when the clock stands
 * still or steps back (RFC 9562 §6.2 method 1: a 12-bit counter in rand_a
 * seeded randomly each millisecond, and the timestamp held at its high mark).
 */
export function createUuidV7(now: () => number, random: RandomBytes = webRandomBytes): () => string {
  let lastMs = -1;
  let counter = 0;
  return () => {
    let ms = Math.floor(now());
    assert(Number.isSafeInteger(ms) && ms >= 0, 'the clock gives a non-negative time');
    const bytes = random(16);
    assert(bytes.length === 16, 'random source gives 16 bytes');
    if (ms > lastMs) {
      // Start the counter in its lower half so that it has room to grow.
      counter = ((bytes[6] ?? 0) & 0x07) * 256 + (bytes[7] ?? 0);
      lastMs = ms;
    } else {
      counter += 1;
      if (counter > 0xfff) {
        lastMs += 1;
        counter = 0;
      }
      ms = lastMs;
    }
    bytes[0] = Math.floor(ms / 2 ** 40) & 0xff;
    bytes[1] = Math.floor(ms / 2 ** 32) & 0xff;
    bytes[2] = (ms >>> 24) & 0xff;
    bytes[3] = (ms >>> 16) & 0xff;
    bytes[4] = (ms >>> 8) & 0xff;
    bytes[5] = ms & 0xff;
    bytes[6] = 0x70 | ((counter >>> 8) & 0x0f);
    bytes[7] = counter & 0xff;
    bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
    let s = '';
    for (let i = 0; i < 16; i++) {
      s += HEX[bytes[i] ?? 0];
      if (i === 3 || i === 5 || i === 7 || i === 9) s += '-';
    }
    return s;
  };
}

/** The Unix milliseconds a UUIDv7 carries. */
export function uuidV7Time(id: string): number {
  assert(UUID_V7_PATTERN.test(id), `not a UUIDv7: ${id}`);
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
