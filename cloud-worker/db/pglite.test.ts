import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openPglite } from './pglite';

const dir = mkdtempSync(join(tmpdir(), 'haat-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('refuses a second open of one PGlite folder while the first is open, and keeps the data', async () => {
  const first = await openPglite(dir);
  await first.exec('CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)');
  await expect(openPglite(dir)).rejects.toThrow(/PGlite allows one process/);
  await first.close();
  const second = await openPglite(dir);
  expect(await second.query('SELECT n FROM kept')).toEqual([{ n: 42 }]);
  await second.close();
});
