import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { DatabaseKind } from '../../cloud-worker/db/database';
import { startApi } from '../../cloud-worker/testing/api-fixture';
import { drain, startCloudFixture, type CloudFixture } from '../../cloud-worker/testing/cloud-fixture';
import type { ProvisioningBundle } from '../../shared/wire/provisioning';
import { provisionTill, tillPaths } from '../../main/sync/provision';
import { startTcpProxy, type TcpProxy } from '../../scripts/tcp-proxy';

/**
 * The whole chain on one machine for sync tests: a real Azurite, a real
 * central database (PGlite, or the PostgreSQL server), the branch API
 * listening on a real port, and its queue worker; tills provisioned through
 * head office's admin endpoint.
 */
export interface Chain {
  readonly f: CloudFixture;
  readonly url: string;
  admin<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, body?: unknown): Promise<T>;
  addBranch(code: string): Promise<void>;
  addProduct(sku: string, fields?: Partial<ProductFields>): Promise<string>;
  addStaff(branch: string, role: 'cashier' | 'manager', pin: string): Promise<string>;
  /** Provisions a till in a fresh data folder from the bundle head office issues. */
  addTill(branch: string, till: number): Promise<{ dir: string; bundle: ProvisioningBundle }>;
  /** Runs the queue worker until the queue is empty. */
  drain(): Promise<{ ingested: number; rejected: number }>;
  /** The tills' line to head office's API: cut it to take every till offline. */
  readonly apiLine: TcpProxy;
  close(): Promise<void>;
}

export interface ProductFields {
  nameEn: string;
  nameBn: string;
  price: number;
  vatRate: number;
  unit: 'piece' | 'kg';
  barcodes: string[];
}

export async function startChain(kind: DatabaseKind): Promise<Chain> {
  const f = await startCloudFixture(kind);
  const api = await startApi(f);
  await api.app.listen({ port: 0, host: '127.0.0.1' });
  const apiLine = await startTcpProxy({ port: (api.app.server.address() as AddressInfo).port });
  const url = `http://127.0.0.1:${apiLine.port}`;
  const dirs: string[] = [];

  async function admin<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await api.app.inject({
      method: method as 'GET',
      url: path,
      headers: api.admin,
      ...(body ? { payload: body as object } : {}),
    });
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${res.body}`);
    return res.json<T>();
  }

  return {
    f,
    url,
    admin,
    async addBranch(code) {
      await admin('POST', '/v1/admin/branches', { code, nameEn: `Branch ${code}`, nameBn: 'শাখা' });
    },
    async addProduct(sku, fields = {}) {
      const id = randomUUID();
      await admin('PUT', `/v1/admin/products/${id}`, {
        sku,
        nameEn: fields.nameEn ?? `Product ${sku}`,
        nameBn: fields.nameBn ?? 'পণ্য',
        category: 'grocery',
        unit: fields.unit ?? 'piece',
        price: fields.price ?? 12_000,
        vatRate: fields.vatRate ?? 750,
        vatMode: 'inclusive',
        active: true,
        barcodes: fields.barcodes ?? [`8941${sku.replace(/\D/g, '').padStart(9, '0')}`],
      });
      return id;
    },
    async addStaff(branch, role, pin) {
      const id = randomUUID();
      await admin('PUT', `/v1/admin/branches/${branch}/staff/${id}`, {
        code: `${role[0]!.toUpperCase()}${pin}`,
        name: role === 'manager' ? 'Nasrin Akter' : 'Rahim Uddin',
        role,
        active: true,
        pin,
      });
      return id;
    },
    async addTill(branch, till) {
      const issued = await admin<ProvisioningBundle>('POST', `/v1/admin/branches/${branch}/tills`, { till });
      const bundle = { ...issued, apiUrl: url };
      const dir = mkdtempSync(join(tmpdir(), `haat-till-${branch}-${till}-`));
      dirs.push(dir);
      provisionTill(dir, JSON.stringify(bundle));
      return { dir, bundle };
    },
    drain: () => drain(api.consumer),
    apiLine,
    async close() {
      await apiLine.close();
      await api.close().catch(() => undefined);
      await f.dispose();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}

export { tillPaths };
