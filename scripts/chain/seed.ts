/**
 * The chain's first day, through the same doors head office uses: branches,
 * staff, the catalog and tills go in through the admin API, and each till is
 * installed from the provisioning bundle that API issues, exactly as
 * `npm run provision` would install it in a shop.
 */
import { mkdirSync } from 'node:fs';
import type { ProvisioningBundle } from '../../shared/wire/provisioning';
import { provisionTill } from '../../main/sync/provision';
import { grocerCatalog } from '../seed/catalog';
import { BRANCHES, type ChainPaths, type ChainState, staffId } from './plan';

/**
 * Shops sync every 5 minutes by default; the local chain every 20 seconds,
 * so that whoever watches it sees ✔ and ✔✔ arrive while they watch.
 */
export const CHAIN_SYNC_SCHEDULE = '*/20 * * * * *';

export class AdminClient {
  private constructor(
    private readonly base: string,
    /** The session's bearer token. */
    readonly token: string,
  ) {}

  static async login(base: string, email: string, password: string): Promise<AdminClient> {
    const res = await fetch(`${base}/v1/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (res.status !== 201) throw new Error(`head-office login as ${email} refused: ${res.status} ${await res.text()}`);
    const { token } = (await res.json()) as { token: string };
    return new AdminClient(base, token);
  }

  async call<T>(method: 'POST' | 'PUT' | 'PATCH' | 'GET', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }
}

export interface SeedReport {
  readonly products: number;
  readonly staff: number;
  readonly tills: number;
}

/** Seeds a new chain. Tills reach head office through their branch's line, so each bundle names it. */
export async function seedChain(
  admin: AdminClient,
  state: ChainState,
  paths: ChainPaths,
  progress: (line: string) => void,
): Promise<SeedReport> {
  let staff = 0;
  for (const branch of BRANCHES) {
    await admin.call('POST', '/v1/admin/branches', {
      code: branch.code,
      nameEn: branch.nameEn,
      nameBn: branch.nameBn,
      settings: { syncSchedule: CHAIN_SYNC_SCHEDULE },
    });
    for (const person of branch.staff) {
      await admin.call('PUT', `/v1/admin/branches/${branch.code}/staff/${staffId(branch.code, person.code)}`, {
        code: person.code,
        name: person.name,
        role: person.role,
        active: true,
        pin: person.pin,
      });
      staff++;
    }
  }
  progress(`branches ${BRANCHES.map((b) => b.code).join(', ')} and ${staff} staff added`);

  const catalog = grocerCatalog();
  const WIDTH = 8;
  for (let i = 0; i < catalog.length; i += WIDTH) {
    await Promise.all(
      catalog.slice(i, i + WIDTH).map(({ id, ...product }) => admin.call('PUT', `/v1/admin/products/${id}`, product)),
    );
  }
  progress(`${catalog.length} products in the catalog`);

  let tills = 0;
  for (const branch of BRANCHES) {
    for (const till of branch.tills) {
      const bundle = await admin.call<ProvisioningBundle>('POST', `/v1/admin/branches/${branch.code}/tills`, { till });
      const line = state.ports.lines[branch.code];
      const dir = paths.tillDir(branch.code, till);
      mkdirSync(dir, { recursive: true });
      provisionTill(dir, JSON.stringify({ ...bundle, apiUrl: `http://127.0.0.1:${line}` }));
      tills++;
    }
  }
  progress(`${tills} tills provisioned`);
  return { products: catalog.length, staff, tills };
}
