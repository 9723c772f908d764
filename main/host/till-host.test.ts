import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { taka } from '../../shared/money';
import { createPosService } from '../api/pos-service';
import { CASHIER, PRODUCTS, tempTill, type TempTill } from '../testing/fixtures';
import { startTillHost, type TillHost } from './till-host';

let till: TempTill;
let host: TillHost;

beforeEach(async () => {
  till = tempTill();
  const web = join(till.dir, 'web');
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>Haat</title>');
  writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(till.dir, 'secret.txt'), 'do not serve');
  host = await startTillHost({ service: createPosService(till, { log: () => undefined }), staticDir: web });
});
afterEach(async () => {
  await host.close();
  till.cleanup();
});

async function api(channel: string, body: unknown, token?: string) {
  const res = await fetch(`${host.url}/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as { ok: boolean; value?: Record<string, unknown>; error?: Record<string, unknown> },
  };
}

/** A raw request, to send a Host header fetch would not let us choose. */
function raw(path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${host.url}${path}`, { headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the HTTP till host', () => {
  it('listens on 127.0.0.1 and rings up a sale for a signed-in cashier', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await api('sale:current', {})).toMatchObject({
      status: 401,
      body: { ok: false, error: { code: 'not-signed-in' } },
    });
    expect(await api('session:login', { pin: '0000' })).toMatchObject({
      status: 422,
      body: { error: { code: 'wrong-pin', field: 'pin' } },
    });
    const login = await api('session:login', { pin: CASHIER.pin });
    expect(login).toMatchObject({
      status: 200,
      body: { ok: true, value: { staff: { name: CASHIER.name, role: 'cashier' } } },
    });
    const token = login.body.value!.token as string;
    expect((await api('shift:open', { openingFloat: taka(100) }, token)).status).toBe(200);
    expect(await api('sale:scan', { barcode: PRODUCTS.oil.barcodes[0] }, token)).toMatchObject({
      status: 200,
      body: { value: { total: taka(190) } },
    });
    expect((await api('sale:scan', { barcode: 12 }, token)).status).toBe(400);
    const tendered = await api('sale:tender', { method: 'cash', amount: taka(200) }, token);
    expect(tendered).toMatchObject({ body: { value: { change: taka(10) } } });
    expect(await api('sale:complete', { saleId: tendered.body.value!.saleId }, token)).toMatchObject({
      status: 200,
      body: { value: { receiptNo: 'DHK01-2-000001' } },
    });
    expect((await api('nothing:here', {}, token)).status).toBe(404);
  });

  it('refuses what is not JSON, too large, or sent to another host name', async () => {
    const res = await fetch(`${host.url}/api/session:login`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(res.status).toBe(415);
    const bad = await fetch(`${host.url}/api/session:login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(bad.status).toBe(400);
    const big = await fetch(`${host.url}/api/sale:search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'x'.repeat(100_000) }),
    }).catch(() => ({ status: 413 }));
    expect(big.status).toBe(413);
    expect(await raw('/', { host: 'evil.example:80' })).toBe(421);
    expect(await raw('/', { host: `localhost:${host.port}` })).toBe(200);
  });

  it('serves the screens with a strict CSP, falls back to the page, and never outside its folder', async () => {
    const page = await fetch(`${host.url}/sale`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Haat</title>');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const js = await fetch(`${host.url}/assets/app.js`);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect(await raw('/../secret.txt', { host: `127.0.0.1:${host.port}` })).not.toBe(500);
    const escaped = await fetch(`${host.url}/%2e%2e/secret.txt`);
    expect(await escaped.text()).not.toContain('do not serve');
  });
});
