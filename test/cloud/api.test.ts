import { DEFAULT_BRANCH_SETTINGS } from '../../shared/settings';
import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySecret } from '../../cloud-worker/auth/scrypt';
import { nodeSigner } from '../../cloud-worker/queue/node-primitives';
import { startApi, productInput, type ApiFixture } from '../../cloud-worker/testing/api-fixture';
import { saleBatches, tillSource } from '../../cloud-worker/testing/batches';
import { drain, encodeOrThrow, startCloudFixture, type CloudFixture } from '../../cloud-worker/testing/cloud-fixture';
import { databaseKinds } from '../../cloud-worker/testing/test-database';
import { parseProvisioningBundle, type ProvisioningBundle } from '../../shared/wire/provisioning';
import { parsePullResponse, type PullResponse } from '../../shared/wire/pull';
import { allowedPageSize } from '../../main/sync/pull';

describe.each(databaseKinds())('branch and admin API on %s', (kind) => {
  let f: CloudFixture;
  let api: ApiFixture & Awaited<ReturnType<CloudFixture['newQueue']>>;
  const bundles: Record<string, ProvisioningBundle> = {};

  async function admin(method: 'POST' | 'PUT' | 'PATCH', url: string, payload: unknown) {
    return api.app.inject({ method, url, payload: payload as object, headers: api.admin });
  }

  async function pull(bundle: ProvisioningBundle, cursor = '0', limit?: number): Promise<PullResponse> {
    const res = await api.app.inject({
      method: 'GET',
      url: `/v1/pull?cursor=${encodeURIComponent(cursor)}${limit ? `&limit=${limit}` : ''}`,
      headers: { authorization: `Bearer ${bundle.pullToken}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    const parsed = parsePullResponse(res.json());
    if (!parsed.ok) throw new Error(`${parsed.error.field}: ${parsed.error.reason}`);
    return parsed.value;
  }

  async function pullAll(bundle: ProvisioningBundle, limit: number) {
    const pages: PullResponse[] = [];
    let cursor = '0';
    for (;;) {
      const page = await pull(bundle, cursor, limit);
      pages.push(page);
      cursor = page.cursor;
      if (!page.more) return { pages, cursor };
    }
  }

  beforeAll(async () => {
    f = await startCloudFixture(kind);
    api = await startApi(f);
    for (const code of ['DHK01', 'CTG01']) {
      expect((await admin('POST', '/v1/admin/branches', { code, nameEn: code })).statusCode).toBe(201);
    }
    for (const [code, till] of [
      ['DHK01', 1],
      ['DHK01', 2],
      ['CTG01', 1],
    ] as const) {
      const res = await admin('POST', `/v1/admin/branches/${code}/tills`, { till });
      expect(res.statusCode, res.body).toBe(201);
      const bundle = parseProvisioningBundle(res.json());
      if (!bundle.ok) throw new Error(bundle.error.reason);
      bundles[`${code}-${till}`] = bundle.value;
    }
  });
  afterAll(async () => {
    await api.close();
    await f.dispose();
  });

  it('issues a provisioning bundle that the till can sign with, and keeps only the public key', async () => {
    const bundle = bundles['DHK01-1']!;
    expect(bundle).toMatchObject({ branch: 'DHK01', till: 1, apiUrl: 'https://haat.example/api' });
    const stored = await f.t.db.query<{ public_key: string }>('SELECT public_key FROM till_keys WHERE key_id = $1', [
      bundle.keyId,
    ]);
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(await f.t.db.query('SELECT * FROM till_keys'))).not.toContain(bundle.signingKey);
    expect(JSON.stringify(await f.t.db.query('SELECT * FROM pull_tokens'))).not.toContain(bundle.pullToken);
  });

  it('answers bad input with a 4xx naming the field, and writes nothing', async () => {
    const bad = await admin('POST', '/v1/admin/branches', { code: 'dhaka', nameEn: 'Dhaka' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ field: 'body.code' });
    const dup = await admin('POST', '/v1/admin/branches/DHK01/tills', { till: 1 });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toMatchObject({ code: 'already-exists', field: 'body.till' });
    const noBranch = await admin('POST', '/v1/admin/branches/SYL01/tills', { till: 1 });
    expect(noBranch.statusCode).toBe(404);
    expect(await f.t.db.query(`SELECT 1 FROM tills WHERE branch = 'SYL01'`)).toEqual([]);
    const badPrice = await admin('PUT', `/v1/admin/products/${randomUUID()}`, { ...productInput('X1'), price: -5 });
    expect(badPrice.statusCode).toBe(400);
    expect(badPrice.json().error).toMatchObject({ field: 'body.price' });
    const newStaffWithoutPin = await admin('PUT', `/v1/admin/branches/DHK01/staff/${randomUUID()}`, {
      code: 'C9',
      name: 'No Pin',
      role: 'cashier',
      active: true,
    });
    expect(newStaffWithoutPin.json().error).toMatchObject({ field: 'body.pin' });
    const unauthenticated = await api.app.inject({ method: 'POST', url: '/v1/admin/branches', payload: {} });
    expect(unauthenticated.statusCode).toBe(401);
  });

  it('pulls master data with history kept, and only the branch’s own staff and tills', async () => {
    const productId = randomUUID();
    expect((await admin('PUT', `/v1/admin/products/${productId}`, productInput('R100'))).statusCode).toBe(200);
    const patched = await admin('PATCH', `/v1/admin/products/${productId}`, { price: 12_500 });
    expect(patched.statusCode, patched.body).toBe(200);
    await admin('PATCH', `/v1/admin/products/${productId}`, { vatRate: 750 });
    const dhakaCashier = randomUUID();
    const chattogramCashier = randomUUID();
    await admin('PUT', `/v1/admin/branches/DHK01/staff/${dhakaCashier}`, {
      code: 'C1',
      name: 'Rahima',
      role: 'cashier',
      active: true,
      pin: '4821',
    });
    await admin('PUT', `/v1/admin/branches/CTG01/staff/${chattogramCashier}`, {
      code: 'C1',
      name: 'Karim',
      role: 'manager',
      active: true,
      pin: '1234',
    });
    await admin('PUT', '/v1/admin/branches/DHK01/settings', { settings: { maxDiscountWithoutManagerBps: 1000 } });

    const dhaka = await pull(bundles['DHK01-2']!);
    expect(dhaka.products.find((p) => p.id === productId)).toMatchObject({ price: 12_500, vatRate: 750 });
    expect(dhaka.staff.map((s) => s.id)).toEqual([dhakaCashier]);
    expect(await verifySecret('4821', dhaka.staff[0]!.pinHash)).toBe(true);
    expect(dhaka.settings).toEqual({ ...DEFAULT_BRANCH_SETTINGS, maxDiscountWithoutManagerBps: 1000 });
    expect(dhaka.tills.map((t) => t.till)).toEqual([1, 2]);

    const chattogram = await pull(bundles['CTG01-1']!);
    expect(chattogram.staff.map((s) => s.id)).toEqual([chattogramCashier]);
    expect(chattogram.tills.map((t) => t.till)).toEqual([1]);
    expect(JSON.stringify(chattogram)).not.toContain(dhakaCashier);

    const history = await f.t.db.query<{ price: number }>(
      'SELECT price FROM price_history WHERE product_id = $1 ORDER BY change_seq',
      [productId],
    );
    expect(history.map((h) => h.price)).toEqual([12_000, 12_500]);
    const vat = await f.t.db.query<{ vat_rate: number }>(
      'SELECT vat_rate FROM vat_history WHERE product_id = $1 ORDER BY change_seq',
      [productId],
    );
    expect(vat.map((v) => v.vat_rate)).toEqual([500, 750]);

    const again = await pull(bundles['DHK01-2']!, dhaka.cursor);
    expect(again).toMatchObject({ products: [], staff: [], settings: null, more: false, cursor: dhaka.cursor });
  });

  it('pages through a change larger than a page without losing or repeating a row', async () => {
    const before = (await pullAll(bundles['DHK01-1']!, 500)).cursor;
    const ids = Array.from({ length: 23 }, () => randomUUID()).sort();
    // Many products in one change: the page boundary falls inside it.
    const { masterDataChange, upsertProduct } = await import('../../cloud-worker/repositories/master-data-repository');
    await masterDataChange(f.t.db, async (tx, seq) => {
      for (const [i, id] of ids.entries()) await upsertProduct(tx, seq, { ...productInput(`P${i}`), id });
    });
    let cursor = before;
    const seen: string[] = [];
    for (;;) {
      const page = await pull(bundles['DHK01-1']!, cursor, 5);
      seen.push(...page.products.map((p) => p.id));
      cursor = page.cursor;
      if (!page.more) break;
    }
    expect(seen.sort()).toEqual(ids);
  });

  it('refuses a page larger than it serves in words a till reads its page size from', async () => {
    const res = await api.app.inject({
      method: 'GET',
      url: '/v1/pull?cursor=0&limit=6000',
      headers: { authorization: `Bearer ${bundles['DHK01-1']!.pullToken}` },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ field: 'query.limit', reason: 'must be at most 5000' });
    expect(allowedPageSize(res.body)).toBe(5000);
  });

  it('gzips the pull on the wire', async () => {
    const res = await api.app.inject({
      method: 'GET',
      url: '/v1/pull',
      headers: { authorization: `Bearer ${bundles['DHK01-1']!.pullToken}`, 'accept-encoding': 'gzip' },
    });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(res.rawPayload).toString()).type).toBe('pull-response');
  });

  it('keeps what a till says of its database on a pull, for that till only, and refuses a bad figure', async () => {
    const token = { authorization: `Bearer ${bundles['CTG01-1']!.pullToken}` };
    const ok = await api.app.inject({
      method: 'GET',
      url: '/v1/pull?dbBytes=7340032&rowsWaiting=12&lastSeq=45&oldestUnsyncedSeq=40&oldestUnsyncedAgeMs=90000',
      headers: token,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const rows = await f.t.db.query<{ till_no: number; db_bytes: string | number | null; rows_waiting: number | null }>(
      "SELECT till_no, db_bytes, rows_waiting, oldest_unsynced_seq, oldest_unsynced_age_ms FROM tills WHERE branch = 'CTG01'",
    );
    expect(rows.map((r) => ({ ...r, db_bytes: Number(r.db_bytes) }))).toEqual([
      {
        till_no: 1,
        db_bytes: 7_340_032,
        rows_waiting: 12,
        oldest_unsynced_seq: expect.anything(),
        oldest_unsynced_age_ms: expect.anything(),
      },
    ]);
    const bad = await api.app.inject({ method: 'GET', url: '/v1/pull?dbBytes=-5&rowsWaiting=1', headers: token });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ field: 'query.dbBytes' });
  });

  it('refuses pulls without a valid token and with a bad cursor', async () => {
    const none = await api.app.inject({ method: 'GET', url: '/v1/pull' });
    expect(none.statusCode).toBe(401);
    const wrong = await api.app.inject({
      method: 'GET',
      url: '/v1/pull',
      headers: { authorization: `Bearer ${'x'.repeat(43)}` },
    });
    expect(wrong.statusCode).toBe(401);
    const badCursor = await api.app.inject({
      method: 'GET',
      url: '/v1/pull?cursor=yesterday',
      headers: { authorization: `Bearer ${bundles['DHK01-1']!.pullToken}` },
    });
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().error).toMatchObject({ field: 'query.cursor' });
    // Well formed, but no page ever stops at a row of that kind or with that id.
    for (const cursor of ['12:price:0190f000-0000-4000-8000-000000000001', '12:product:not-a-row-id']) {
      const unknown = await api.app.inject({
        method: 'GET',
        url: `/v1/pull?cursor=${encodeURIComponent(cursor)}`,
        headers: { authorization: `Bearer ${bundles['DHK01-1']!.pullToken}` },
      });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error).toMatchObject({
        field: 'query.cursor',
        reason: expect.stringContaining('never gave out'),
      });
    }
  });

  it('hands out an add-only SAS: a till can send, and cannot receive, peek, clear or delete', async () => {
    const bundle = bundles['DHK01-1']!;
    const { queue: sas } = await pull(bundle);
    expect(sas.url).not.toContain('AccountKey');
    const branchQueue = new QueueClient(sas.url);
    const batches = saleBatches(tillSource('DHK01', 1), 6, 3);
    const signer = nodeSigner(bundle.keyId, bundle.signingKey);
    const sent: { messageId: string; popReceipt: string }[] = [];
    for (const b of batches) {
      sent.push(await branchQueue.sendMessage(await encodeOrThrow(b, signer), { messageTimeToLive: -1 }));
    }
    const refused = async (op: () => Promise<unknown>) => {
      const status = await op().then(
        () => 200,
        (e: { statusCode?: number }) => e.statusCode,
      );
      expect(status).toBe(403);
    };
    await refused(() => branchQueue.receiveMessages());
    await refused(() => branchQueue.peekMessages());
    await refused(() => branchQueue.clearMessages());
    await refused(() => branchQueue.deleteMessage(sent[0]!.messageId, sent[0]!.popReceipt));
    await refused(() => branchQueue.getProperties());

    await drain(api.consumer);
    const after = await pull(bundle);
    expect(after.tills.find((t) => t.till === 1)).toEqual({ till: 1, acked: 6, highest: 6, missing: [] });
  });

  it('cuts off every SAS when the shared policy is replaced; the next pull brings one that works', async () => {
    const bundle = bundles['CTG01-1']!;
    const old = new QueueClient((await pull(bundle)).queue.url);
    await old.sendMessage('before', { messageTimeToLive: -1 });
    expect((await admin('POST', '/v1/admin/queue/rotate-policy', {})).statusCode).toBe(200);
    const status = await old.sendMessage('after').then(
      () => 201,
      (e: { statusCode?: number }) => e.statusCode,
    );
    expect(status).toBe(403);
    const fresh = new QueueClient((await pull(bundle)).queue.url);
    await fresh.sendMessage('after', { messageTimeToLive: -1 });
  });

  it("refuses a revoked till's pulls, and only that till's", async () => {
    const res = await admin('POST', '/v1/admin/branches/DHK01/tills/2/revoke', {});
    expect(res.statusCode).toBe(200);
    const refused = await api.app.inject({
      method: 'GET',
      url: '/v1/pull',
      headers: { authorization: `Bearer ${bundles['DHK01-2']!.pullToken}` },
    });
    expect(refused.statusCode).toBe(401);
    const other = await pull(bundles['DHK01-1']!);
    expect(other.tills.map((t) => t.till)).toEqual([1]);
  });
});
