import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PULL_RESPONSE_TYPE, type PullResponse } from '../../shared/wire/pull';
import { openTill } from '../open-till';
import { provisionTestTill } from '../testing/provisioned-till';
import { loadCredentials, tillPaths } from './provision';
import { allowedPageSize, pullAll } from './pull';

/**
 * A head office that serves at most `most` changes a page and refuses more
 * as the central API refuses a bad query: 400 naming the field and why. Its
 * catalog is `products` products, one change each.
 */
function headOffice(most: number, products: number, reason = `must be at most ${most}`) {
  const asked: (number | null)[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://till');
    const limitParam = url.searchParams.get('limit');
    asked.push(limitParam === null ? null : Number(limitParam));
    const limit = limitParam === null ? 500 : Number(limitParam);
    res.setHeader('content-type', 'application/json');
    if (limit > most) {
      res.statusCode = 400;
      res.end(JSON.stringify({ error: { code: 'invalid-field', field: 'query.limit', reason } }));
      return;
    }
    const from = Number(url.searchParams.get('cursor') ?? '0');
    const to = Math.min(products, from + limit);
    const page: PullResponse = {
      type: PULL_RESPONSE_TYPE,
      v: 1,
      branch: 'DHK01',
      till: 2,
      cursor: String(to),
      more: to < products,
      products: Array.from({ length: to - from }, (_, i) => {
        const n = from + i + 1;
        return {
          id: `0190c000-0000-4000-8000-${String(n).padStart(12, '0')}`,
          sku: `P${n}`,
          nameEn: `Product ${n}`,
          nameBn: '',
          category: 'Grocery',
          unit: 'piece' as const,
          price: 1000 + n,
          vatRate: 0,
          vatMode: 'inclusive' as const,
          active: true,
          barcodes: [`20${String(n).padStart(11, '0')}`],
        };
      }),
      staff: [],
      settings: null,
      tills: [],
      queue: { url: 'http://127.0.0.1:10001/devstoreaccount1/sales?sig=x' },
      serverTime: Date.now(),
    };
    res.end(JSON.stringify(page));
  });
  return { server, asked };
}

let dir: string;
let server: Server | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'haat-pull-'));
});
afterEach(async () => {
  await new Promise((closed) => (server ? server.close(closed) : closed(undefined)));
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function pullFrom(office: ReturnType<typeof headOffice>) {
  server = office.server;
  await new Promise<void>((ready) => office.server.listen(0, '127.0.0.1', () => ready()));
  const { port } = office.server.address() as { port: number };
  provisionTestTill(dir, `http://127.0.0.1:${port}`);
  const till = openTill(tillPaths(dir).db);
  const count = () => (till.deps.db.prepare('SELECT count(*) AS n FROM products').get() as { n: number }).n;
  try {
    const before = count();
    const summary = await pullAll({ db: till.deps.db, now: Date.now, credentials: loadCredentials(dir) });
    return { summary, added: count() - before };
  } finally {
    till.store.close();
  }
}

describe('pulling from a head office that serves smaller pages', () => {
  it('asks again for the most it serves, and keeps to it for the pages after', async () => {
    const office = headOffice(1000, 2500);
    const { summary, added } = await pullFrom(office);
    expect(summary).toMatchObject({ pages: 3, products: 2500 });
    expect(added).toBe(2500);
    expect(office.asked).toEqual([5000, 1000, 1000, 1000]);
  });

  it("takes head office's own page size when its refusal names no number", async () => {
    const office = headOffice(1000, 1200, 'too big');
    const { summary } = await pullFrom(office);
    expect(summary).toMatchObject({ pages: 3, products: 1200 });
    expect(office.asked).toEqual([5000, null, null, null]);
  });
});

describe('allowedPageSize', () => {
  it('reads the most a refusal of the page size allows, and nothing from other refusals', () => {
    const refusal = (field: string, reason: string) =>
      JSON.stringify({ error: { code: 'invalid-field', field, reason } });
    expect(allowedPageSize(refusal('query.limit', 'must be at most 1000'))).toBe(1000);
    expect(allowedPageSize(refusal('query.limit', 'Too big: expected number to be <=1000'))).toBe(1000);
    expect(allowedPageSize(refusal('query.limit', 'must be a whole number'))).toBeNull();
    expect(allowedPageSize(refusal('query.cursor', 'must be a cursor from an earlier pull, or 0'))).toBeUndefined();
    expect(allowedPageSize('<html>Bad Request</html>')).toBeUndefined();
  });
});
