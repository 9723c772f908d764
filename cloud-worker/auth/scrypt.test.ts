import { scryptSync } from 'node:crypto';
import { expect, it } from 'vitest';
import { hashSecret, verifySecret } from './scrypt';

it('hashes in the scrypt$N$r$p$salt$hash form the till verifies PINs with', async () => {
  const stored = await hashSecret('4821');
  const [name, N, r, p, salt, hash] = stored.split('$');
  expect([name, N, r, p]).toEqual(['scrypt', '16384', '8', '1']);
  // What the till computes (main/staff/pin.ts): scrypt of the PIN with the stored salt and cost.
  const tillSide = scryptSync('4821', Buffer.from(salt!, 'base64'), 32, { N: 16384, r: 8, p: 1, maxmem: 64 << 20 });
  expect(tillSide.toString('base64')).toBe(hash);
  expect(await verifySecret('4821', stored)).toBe(true);
  expect(await verifySecret('4822', stored)).toBe(false);
  expect(await verifySecret('4821', 'plain')).toBe(false);
});
