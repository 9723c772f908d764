import { randomUUID } from 'node:crypto';
import { buildApp } from '../../cloud-worker/app';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FAILURES_PER_ACCOUNT, createOfficeUser } from '../../cloud-worker/repositories/office-user-repository';
import { applyDueChanges } from '../../cloud-worker/repositories/product-repository';
import { startApi, productInput } from '../../cloud-worker/testing/api-fixture';
import { batchOf, saleEvent, tillSource } from '../../cloud-worker/testing/batches';
import {
  drain,
  sendBatches,
  silentLog,
  startCloudFixture,
  type CloudFixture,
  type ProvisionedTestTill,
} from '../../cloud-worker/testing/cloud-fixture';
import { databaseKinds } from '../../cloud-worker/testing/test-database';
import type { PullResponse } from '../../shared/wire/pull';

/**
 * Head office's web API: sign-in with a cookie, CSRF, the login throttle,
 * session expiry, roles (a viewer changes nothing; nothing but the public
 * routes answers without a session), changes reaching a till's pull, timed
 * price changes, catalog import and re-driving a rejected message.
 */
const PASSWORD = 'correct horse battery';
const ORIGIN = 'http://localhost:80';
/** The only routes that answer without a head-office session. */
const PUBLIC_ROUTES = [
  'GET /health',
  'GET /office',
  'GET /office/',
  'GET /office/*',
  'GET /v1/pull',
  'HEAD /health',
  'HEAD /office',
  'HEAD /office/',
  'HEAD /office/*',
  'HEAD /v1/pull',
  'POST /v1/admin/login',
  'POST /v1/office/login',
];

interface Browser {
  readonly cookie: string;
  readonly csrf: string;
}

describe.each(databaseKinds())('head office web API on %s', (kind) => {
  let f: CloudFixture;
  let api: Awaited<ReturnType<typeof startApi>>;
  let till: ProvisionedTestTill;
  let adminEmail: string;
  let viewerEmail: string;

  async function login(email: string, password = PASSWORD, ip = '10.0.0.1') {
    return api.app.inject({
      method: 'POST',
      url: '/v1/office/login',
      payload: { email, password },
      remoteAddress: ip,
    });
  }

  async function browser(email: string): Promise<Browser> {
    const res = await login(email);
    expect(res.statusCode, res.body).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    return { cookie: setCookie.split(';')[0]!, csrf: res.json<{ csrfToken: string }>().csrfToken };
  }

  function as(b: Browser, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) {
    return api.app.inject({
      method,
      url,
      headers: { cookie: b.cookie, 'x-csrf-token': b.csrf, origin: ORIGIN },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  }

  async function pull(cursor = '0'): Promise<PullResponse> {
    const res = await api.app.inject({
      method: 'GET',
      url: `/v1/pull?cursor=${cursor}`,
      headers: { authorization: `Bearer ${till.token}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<PullResponse>();
  }

  beforeAll(async () => {
    f = await startCloudFixture(kind);
    api = await startApi(f);
    till = await f.addTill('DHK01', 1);
    adminEmail = `admin-${randomUUID()}@haat.example`;
    viewerEmail = `viewer-${randomUUID()}@haat.example`;
    await createOfficeUser(f.t.db, { email: adminEmail, password: PASSWORD, role: 'admin' });
    await createOfficeUser(f.t.db, { email: viewerEmail, password: PASSWORD, role: 'viewer' });
  });
  afterAll(async () => {
    await api?.close();
    await f?.dispose();
  });

  it('opens only the public routes without a session, and refuses every other route with 401', async () => {
    const routes = api.app.routeList;
    expect(
      routes
        .filter((r) => r.access === 'public')
        .map((r) => `${r.method} ${r.url}`)
        .sort(),
    ).toEqual(PUBLIC_ROUTES);
    const closed = routes.filter((r) => r.access !== 'public');
    expect(closed.length).toBeGreaterThan(20);
    for (const r of closed) {
      const url = r.url.replace(/:(\w+)/g, (_, name: string) =>
        name === 'code' ? 'DHK01' : name === 'till' ? '1' : randomUUID(),
      );
      const res = await api.app.inject({
        method: r.method as 'GET',
        url,
        payload: r.method === 'GET' || r.method === 'HEAD' ? undefined : {},
      });
      expect(res.statusCode, `${r.method} ${r.url}: ${res.body}`).toBe(401);
    }
  });

  it('signs in with an httpOnly SameSite=Strict cookie and hands the page its CSRF token', async () => {
    const res = await login(adminEmail);
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^haat_office=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain('Secure');
    // Behind a TLS-terminating proxy the cookie is Secure.
    const proxied = await buildApp({
      db: f.t.db,
      sas: api.sas,
      log: silentLog,
      publicApiUrl: 'https://haat.example/api',
      queues: { main: api.queue, poison: api.poison },
      housekeepingMs: 0,
      trustProxy: true,
    });
    const https = await proxied.inject({
      method: 'POST',
      url: '/v1/office/login',
      payload: { email: adminEmail, password: PASSWORD },
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '10.9.9.9' },
    });
    await proxied.close();
    expect(https.statusCode).toBe(200);
    expect(String(https.headers['set-cookie'])).toContain('; Secure');
    const b = await browser(adminEmail);
    const me = await as(b, 'GET', '/v1/office/me');
    expect(me.json()).toMatchObject({ user: { email: adminEmail, role: 'admin' }, csrfToken: b.csrf });
    expect(me.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('refuses a change made with the cookie but without the CSRF token or from another origin', async () => {
    const b = await browser(adminEmail);
    const body = { code: 'CSRF1', nameEn: 'Forged' };
    const noToken = await api.app.inject({
      method: 'POST',
      url: '/v1/admin/branches',
      headers: { cookie: b.cookie, origin: ORIGIN },
      payload: body,
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json()).toMatchObject({ error: { code: 'csrf', field: 'x-csrf-token' } });
    const wrongToken = await api.app.inject({
      method: 'POST',
      url: '/v1/admin/branches',
      headers: { cookie: b.cookie, origin: ORIGIN, 'x-csrf-token': 'x'.repeat(43) },
      payload: body,
    });
    expect(wrongToken.statusCode).toBe(403);
    const otherSite = await api.app.inject({
      method: 'POST',
      url: '/v1/admin/branches',
      headers: { cookie: b.cookie, origin: 'https://evil.example', 'x-csrf-token': b.csrf },
      payload: body,
    });
    expect(otherSite.statusCode).toBe(403);
    expect(otherSite.json()).toMatchObject({ error: { code: 'bad-origin', field: 'origin' } });
    expect(await f.t.db.query(`SELECT 1 FROM branches WHERE code = 'CSRF1'`)).toEqual([]);
    // Scripts with a bearer token need no CSRF token: a browser never sends one by itself.
    const bearer = await api.app.inject({
      method: 'POST',
      url: '/v1/admin/branches',
      headers: api.admin,
      payload: body,
    });
    expect(bearer.statusCode, bearer.body).toBe(201);
    const ok = await as(b, 'POST', '/v1/admin/branches', { code: 'CSRF2', nameEn: 'Real' });
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('throttles failed logins per account with 429 and Retry-After, even for the right password', async () => {
    const email = `throttled-${randomUUID()}@haat.example`;
    await createOfficeUser(f.t.db, { email, password: PASSWORD, role: 'viewer' });
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      expect((await login(email, 'wrong password', `10.1.0.${i}`)).statusCode).toBe(401);
    }
    const locked = await login(email, PASSWORD, '10.1.1.1');
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
    expect(locked.json()).toMatchObject({ error: { code: 'too-many-logins', field: 'body.email' } });
    // Another account is not held back by this one's failures.
    expect((await login(viewerEmail, PASSWORD, '10.1.1.1')).statusCode).toBe(200);
  });

  it('throttles failed logins per client address across accounts', async () => {
    const ip = '10.2.0.1';
    for (let i = 0; i < 20; i++) {
      expect((await login(`nobody-${i}@haat.example`, 'wrong password', ip)).statusCode).toBe(401);
    }
    const res = await login(adminEmail, PASSWORD, ip);
    expect(res.statusCode).toBe(429);
    expect(res.json()).toMatchObject({ error: { code: 'too-many-logins', field: '(root)' } });
    expect((await login(adminEmail, PASSWORD, '10.2.0.2')).statusCode).toBe(200);
  });

  it('ends a session when it expires, removes it on clean-up, and on logout', async () => {
    const b = await browser(viewerEmail);
    expect((await as(b, 'GET', '/v1/office/me')).statusCode).toBe(200);
    await f.t.db.query(
      `UPDATE admin_sessions SET expires_at = now() - interval '1 second'
        WHERE admin_id = (SELECT id FROM admins WHERE email = $1)`,
      [viewerEmail],
    );
    expect((await as(b, 'GET', '/v1/office/me')).statusCode).toBe(401);
    await browser(adminEmail); // every login cleans up expired sessions
    const left = await f.t.db.query(
      'SELECT 1 FROM admin_sessions s JOIN admins a ON a.id = s.admin_id WHERE a.email = $1',
      [viewerEmail],
    );
    expect(left).toEqual([]);

    const c = await browser(viewerEmail);
    const out = await as(c, 'POST', '/v1/office/logout');
    expect(out.statusCode).toBe(200);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await as(c, 'GET', '/v1/office/me')).statusCode).toBe(401);
  });

  it('lets a viewer read every page but change nothing', async () => {
    const v = await browser(viewerEmail);
    // Every route that can change something, whatever access it declares; signing out is the one a viewer may use.
    const changes = api.app.routeList.filter(
      (r) => r.access !== 'public' && r.method !== 'GET' && r.method !== 'HEAD' && r.url !== '/v1/office/logout',
    );
    expect(changes.length).toBeGreaterThanOrEqual(15);
    for (const r of changes) {
      const url = r.url.replace(/:(\w+)/g, (_, name: string) =>
        name === 'code' ? 'DHK01' : name === 'till' ? '1' : randomUUID(),
      );
      const res = await as(v, r.method as 'POST', url, {});
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'forbidden' } });
    }
    for (const url of ['/v1/office/branches', '/v1/office/products', '/v1/office/health', '/v1/office/rejected']) {
      expect((await as(v, 'GET', url)).statusCode, url).toBe(200);
    }
  });

  it('sends a product made in the web app, and a price change when it is due, to the till on its next pull', async () => {
    const a = await browser(adminEmail);
    const first = await pull();
    const id = randomUUID();
    const made = await as(a, 'PUT', `/v1/admin/products/${id}`, {
      ...productInput('OFF-1', 25_000),
      nameBn: 'মুগ ডাল',
    });
    expect(made.statusCode, made.body).toBe(200);
    const second = await pull(first.cursor);
    expect(second.products).toEqual([expect.objectContaining({ id, nameBn: 'মুগ ডাল', price: 25_000 })]);

    const at = Date.now() + 3_600_000;
    const later = await as(a, 'POST', `/v1/admin/products/${id}/price-changes`, { price: 27_500, effectiveAt: at });
    expect(later.statusCode, later.body).toBe(202);
    const listed = await as(a, 'GET', '/v1/office/products?q=OFF-1');
    expect(listed.json()).toMatchObject({
      products: [{ id, price: 25_000, scheduled: [{ price: 27_500, effectiveAt: at }] }],
    });
    const early = await pull(second.cursor);
    expect(early.products).toEqual([]);
    expect(await applyDueChanges(f.t.db, at - 1)).toBe(0);
    expect(await applyDueChanges(f.t.db, at)).toBe(1);
    const due = await pull(early.cursor);
    expect(due.products).toEqual([expect.objectContaining({ id, price: 27_500 })]);
    expect(await applyDueChanges(f.t.db, at + 1)).toBe(0);

    const now = await as(a, 'POST', `/v1/admin/products/${id}/price-changes`, { vatRate: 1500 });
    expect(now.statusCode).toBe(200);
    expect((await pull(due.cursor)).products).toEqual([expect.objectContaining({ id, vatRate: 1500 })]);

    const bad = await as(a, 'POST', `/v1/admin/products/${id}/price-changes`, { price: -5 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { field: 'body.price' } });
  });

  it('previews a CSV import row by row, writes nothing while any row is wrong, then imports all at once', async () => {
    const a = await browser(adminEmail);
    const header = 'sku,name_en,name_bn,category,unit,price,vat_rate,vat_mode,active,barcodes';
    const bad = [
      header,
      'CSV-1,Lentils 1kg,মসুর ডাল,grocery,kg,140.00,5,inclusive,yes,8941100000011',
      'CSV-2,Sugar,চিনি,grocery,litre,95,5,,,8941100000028',
      'CSV-3,"Tea, 400g",চা পাতা,beverage,piece,abc,7.5,,,8941100000035',
      'CSV-1,Duplicate,,grocery,piece,10,0,,,',
    ].join('\r\n');
    const preview = await as(a, 'POST', '/v1/admin/products/import/preview', { csv: bad });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({
      counts: { create: 1, error: 3 },
      errors: [
        { line: 3, field: 'unit' },
        { line: 4, field: 'price' },
        { line: 5, field: 'sku', reason: 'the same sku is on line 2' },
      ],
    });
    const refused = await as(a, 'POST', '/v1/admin/products/import', { csv: bad });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ error: { code: 'import-rejected', field: 'line 3: unit' } });
    expect(await f.t.db.query(`SELECT 1 FROM products WHERE sku LIKE 'CSV-%'`)).toEqual([]);

    const good = [
      header,
      'CSV-1,Lentils 1kg,মসুর ডাল,grocery,kg,140.00,5,inclusive,yes,8941100000011',
      'CSV-2,Sugar,চিনি,grocery,kg,95,5,,,8941100000028',
      'CSV-3,"Tea, 400g",চা পাতা,beverage,piece,"1,250.50",7.5,,,8941100000035 8941100000042',
      'OFF-1,Mung dal,মুগ ডাল,grocery,kg,280,15,inclusive,yes,8940000000001',
    ].join('\n');
    const ok = await as(a, 'POST', '/v1/admin/products/import/preview', { csv: good });
    expect(ok.json()).toMatchObject({ counts: { create: 3, update: 1, error: 0 }, errors: [] });
    const cursor = (await pull()).cursor;
    const done = await as(a, 'POST', '/v1/admin/products/import', { csv: good });
    expect(done.statusCode, done.body).toBe(201);
    const pulled = await pull(cursor);
    expect(pulled.products.map((p) => p.sku).sort()).toEqual(['CSV-1', 'CSV-2', 'CSV-3', 'OFF-1']);
    expect(pulled.products.find((p) => p.sku === 'CSV-3')).toMatchObject({
      nameEn: 'Tea, 400g',
      price: 125_050,
      vatRate: 750,
      barcodes: ['8941100000035', '8941100000042'],
    });
    const again = await as(a, 'POST', '/v1/admin/products/import/preview', { csv: good });
    expect(again.json()).toMatchObject({ counts: { unchanged: 4 } });
  });

  it('shows a rejected message with its reason and re-drives it to the main queue once', async () => {
    const a = await browser(adminEmail);
    const src = tillSource('DHK01', 1);
    const batch = batchOf(src, [saleEvent(src)]);
    await api.queue.sendMessage('{"not":"a haat message"}', { messageTimeToLive: -1 });
    expect(await drain(api.consumer)).toMatchObject({ rejected: 1 });
    const list = (await as(a, 'GET', '/v1/office/rejected')).json<{
      rejected: { messageId: string; code: string; redrivenAt: number | null }[];
    }>();
    expect(list.rejected).toHaveLength(1);
    const [rejected] = list.rejected;
    expect(rejected).toMatchObject({ redrivenAt: null });
    const health = (await as(a, 'GET', '/v1/office/health')).json<{ queue: { poisonDepth: number; depth: number } }>();
    expect(health.queue).toMatchObject({ poisonDepth: 1, depth: 0 });

    const redrive = await as(a, 'POST', `/v1/admin/rejected/${rejected!.messageId}/redrive`);
    expect(redrive.statusCode, redrive.body).toBe(200);
    const peeked = await api.queue.peekMessages({ numberOfMessages: 5 });
    expect(peeked.peekedMessageItems.map((m) => m.messageText)).toEqual(['{"not":"a haat message"}']);
    const after = (await as(a, 'GET', '/v1/office/rejected')).json<{ rejected: { redrivenAt: number | null }[] }>();
    expect(after.rejected[0]!.redrivenAt).toEqual(expect.any(Number));
    expect((await as(a, 'POST', `/v1/admin/rejected/${rejected!.messageId}/redrive`)).statusCode).toBe(404);
    await drain(api.consumer);
    // A healthy batch still goes in beside it.
    await sendBatches(api.queue, till.signer, [batch]);
    expect(await drain(api.consumer)).toMatchObject({ ingested: 1 });
  });

  it('names the missing receipts of a till, its sales today and its state, on the health page', async () => {
    const a = await browser(adminEmail);
    const t2 = await f.addTill('DHK01', 2);
    const src = tillSource('DHK01', 2);
    const events = Array.from({ length: 6 }, () => saleEvent(src));
    // Sales 3 and 4 (receipts 000003, 000004) are lost on the way.
    await sendBatches(api.queue, t2.signer, [batchOf(src, events.slice(0, 2)), batchOf(src, events.slice(4))]);
    await drain(api.consumer);
    const health = (await as(a, 'GET', '/v1/office/health')).json<{
      branches: { code: string; state: string; tills: Record<string, unknown>[] }[];
      queue: { workersAlive: number; ingestRate: { eventsPerMinute: number } };
    }>();
    const branch = health.branches.find((b) => b.code === 'DHK01')!;
    const t = branch.tills.find((x) => x.till === 2)!;
    expect(t).toMatchObject({
      salesToday: 4,
      highestSeq: 6,
      ackedSeq: 2,
      missingCount: 2,
      missing: [{ first: 3, last: 4, receipts: ['DHK01-2-000003', 'DHK01-2-000004'], receiptsAfter: null }],
      state: 'amber',
      reasons: ['missing'],
    });
    expect(t.lastSeenAt).toEqual(expect.any(Number));
    expect(health.queue.ingestRate.eventsPerMinute).toBeGreaterThan(0);
  });

  it('sets a branch’s offline tender caps for its tills, and finds a customer with every purchase', async () => {
    const a = await browser(adminEmail);
    const v = await browser(viewerEmail);
    const caps = { offlineCardPerSaleTaka: 5000, offlineCardPerDayTaka: 20_000, offlineMobilePerSaleTaka: 2000 };
    const bad = await as(a, 'PUT', '/v1/admin/branches/DHK01/settings', { settings: { offlineCardPerDayTaka: 10.5 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { field: 'body.settings.offlineCardPerDayTaka' } });
    expect((await as(v, 'PUT', '/v1/admin/branches/DHK01/settings', { settings: caps })).statusCode).toBe(403);
    const put = await as(a, 'PUT', '/v1/admin/branches/DHK01/settings', { settings: caps });
    expect(put.statusCode, put.body).toBe(200);
    expect((await pull()).settings).toMatchObject({ ...caps, offlineMobilePerDayTaka: null });

    const t3 = await f.addTill('DHK01', 3);
    const src = tillSource('DHK01', 3);
    const customer = { phone: '+8801812000111', name: 'Nasrin' };
    const sales = [saleEvent(src, 1, { customer, offline: true }), saleEvent(src, 2, { customer, method: 'card' })];
    await sendBatches(api.queue, t3.signer, [batchOf(src, sales)]);
    await drain(api.consumer);

    const found = await as(v, 'GET', '/v1/office/customers?q=01812-000');
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json()).toMatchObject({ customers: [{ phone: customer.phone, name: 'Nasrin', visits: 2 }] });
    const detail = await as(v, 'GET', `/v1/office/customers/${encodeURIComponent('01812000111')}`);
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json()).toMatchObject({
      customer: { phone: customer.phone, spent: 20_000, branches: ['DHK01'] },
      purchases: [
        { receiptNo: 'DHK01-3-000002', offline: false },
        { receiptNo: 'DHK01-3-000001', offline: true },
      ],
    });
    const badPhone = await as(v, 'GET', '/v1/office/customers/12345');
    expect(badPhone.statusCode).toBe(400);
    expect(badPhone.json()).toMatchObject({ error: { code: 'invalid-phone', field: 'params.phone' } });
    expect((await as(v, 'GET', '/v1/office/customers/01912999999')).statusCode).toBe(404);
  });
});
