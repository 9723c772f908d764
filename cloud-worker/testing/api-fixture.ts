import { randomUUID } from 'node:crypto';
import { buildApp, type App } from '../app';
import { BranchSas } from '../queue/branch-sas';
import { createAdmin } from '../repositories/admin-repository';
import type { CloudFixture } from './cloud-fixture';
import { silentLog } from './cloud-fixture';

export interface ApiFixture {
  readonly app: App;
  readonly sas: BranchSas;
  /** Authorization header of a logged-in head-office admin. */
  readonly admin: { authorization: string };
  close(): Promise<void>;
}

/** The API on a fresh queue of the cloud fixture, with an admin logged in. */
export async function startApi(f: CloudFixture): Promise<ApiFixture & Awaited<ReturnType<CloudFixture['newQueue']>>> {
  const queues = await f.newQueue();
  const sas = new BranchSas(queues.queue);
  const app = await buildApp({
    db: f.t.db,
    sas,
    log: silentLog,
    publicApiUrl: 'https://haat.example/api',
    queues: { main: queues.queue, poison: queues.poison },
    housekeepingMs: 0,
  });
  const email = `ho-${randomUUID()}@haat.example`;
  await createAdmin(f.t.db, email, 'correct horse battery');
  const login = await app.inject({
    method: 'POST',
    url: '/v1/admin/login',
    payload: { email, password: 'correct horse battery' },
  });
  const { token } = login.json<{ token: string }>();
  return { ...queues, app, sas, admin: { authorization: `Bearer ${token}` }, close: () => app.close() };
}

export function productInput(sku: string, price = 12_000) {
  return {
    sku,
    nameEn: `Rice ${sku}`,
    nameBn: 'চাল',
    category: 'grocery',
    unit: 'kg' as const,
    price,
    vatRate: 500,
    vatMode: 'inclusive' as const,
    active: true,
    barcodes: [`894${sku.replace(/\D/g, '').padStart(10, '0')}`],
  };
}
