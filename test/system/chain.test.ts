import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BranchHealth } from '../../shared/office-health';
import type { SyncStatusView } from '../../shared/pos-api';
import { dhakaDay, type ReportResult } from '../../shared/reports';
import { seededRandom } from '../../main/testing/random';
import { chainTills, readyTill, ringSale, type TillDriver } from '../../scripts/chain/cashier';
import { BRANCHES, chainPaths, readState, type ChainState } from '../../scripts/chain/plan';
import { grocerCatalog } from '../../scripts/seed/catalog';

/**
 * The whole chain as `npm start` brings it up, on free ports: sales rung up
 * at both branches through the tills' own API while Chattogram's line to
 * head office is cut; then the line comes back, and head office's report
 * and sync-health pages must show every sale exactly once.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SALES_PER_TILL = 4;

let dir: string;
let chain: ChildProcess;
let output = '';
let state: ChainState;
let closed: Promise<void>;
let stopped = false;

function npm(args: string[]): ChildProcess {
  // PGlite in the chain's own folder: the test must not touch the server's shared databases.
  const env = { ...process.env, DATABASE_URL: '', CI: 'true' };
  delete (env as Record<string, string | undefined>).DATABASE_URL;
  return spawn('npm', args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
}

function chainCtl(...args: string[]): string {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/chain-ctl.ts', '--data', dir, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`npm run chain -- ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n--- npm start said:\n${output}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'haat-chain-'));
  chain = npm(['start', '--', '--data', dir, '--port', '0']);
  chain.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  chain.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  // 'close' comes once every process holding npm's output has ended, the chain's supervisor last.
  closed = new Promise((resolve) =>
    chain.once('close', () => {
      stopped = true;
      resolve();
    }),
  );
  await until(
    'the chain to print its table',
    async () => (output.includes('head office') && output.includes('Ctrl-C') ? true : undefined),
    300_000,
  );
  state = readState(chainPaths(dir))!;
}, 330_000);

afterAll(async () => {
  if (chain && !stopped) {
    process.kill(-chain.pid!, 'SIGINT');
    await closed;
  }
  if (!process.env.HAAT_KEEP_CHAIN) rmSync(dir, { recursive: true, force: true });
}, 60_000);

async function syncStatus(t: TillDriver): Promise<SyncStatusView> {
  const r = await t.api['sync:status']({});
  if (!r.ok) throw new Error(r.error.reason);
  return r.value;
}

describe('npm start', () => {
  it('keeps every sale exactly once through an outage at one branch', async () => {
    const tills = chainTills(state);
    const ctg = tills.find((t) => t.key === 'CTG01-1')!;
    const dhaka = tills.filter((t) => t.key.startsWith('DHK01-'));
    expect(dhaka).toHaveLength(2);
    const catalog = grocerCatalog();
    const random = seededRandom(8);

    // Every till fetches the catalog on its own first sync.
    for (const t of tills) {
      // Nobody can sign in before the staff arrive with the first pull.
      await until(`${t.key} to be ready`, async () => {
        await readyTill(t);
        return true;
      });
      await until(`${t.key} to have its catalog`, async () => {
        const found = await t.api['sale:search']({ query: 'Pran' });
        return found.ok && found.value.length > 0 ? true : undefined;
      });
    }

    expect(chainCtl('offline', 'CTG01')).toMatch(/CTG01\s+offline/);
    const rung = new Map<string, { receiptNo: string; total: number }[]>();
    for (const t of tills) {
      const sales = [];
      for (let i = 0; i < SALES_PER_TILL; i++) {
        const sale = await ringSale(t, catalog, random);
        expect(sale, `${t.key} sale ${i + 1}`).not.toBeNull();
        sales.push(sale!);
      }
      rung.set(t.key, sales);
    }

    // Dhaka's sales reach head office (✔✔) while Chattogram's wait on the till.
    await until('Dhaka to be confirmed', async () => {
      for (const t of dhaka) {
        const recent = await t.api['sales:recent']({ limit: 20 });
        if (!recent.ok || recent.value.some((s) => s.tick !== 'acked')) return undefined;
      }
      return true;
    });
    const offline = await syncStatus(ctg);
    expect(offline.pendingSales).toBe(SALES_PER_TILL);
    const ctgRecent = await ctg.api['sales:recent']({ limit: 20 });
    expect(ctgRecent.ok && ctgRecent.value.every((s) => s.tick === 'local')).toBe(true);

    expect(chainCtl('online', 'CTG01')).toMatch(/CTG01\s+online/);
    await until('Chattogram to be confirmed', async () => {
      const recent = await ctg.api['sales:recent']({ limit: 20 });
      return recent.ok && recent.value.length === SALES_PER_TILL && recent.value.every((s) => s.tick === 'acked')
        ? true
        : undefined;
    });
    expect((await syncStatus(ctg)).pendingSales).toBe(0);

    // Head office, as its dashboard reads it.
    const api = `http://127.0.0.1:${state.ports.api}`;
    const login = await fetch(`${api}/v1/office/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: state.office.email, password: state.office.password }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const get = async <T>(path: string): Promise<T> => {
      const res = await fetch(`${api}${path}`, { headers: { cookie } });
      expect(res.status, path).toBe(200);
      return (await res.json()) as T;
    };
    expect((await fetch(`${api}/office/`)).status).toBe(200);

    const today = dhakaDay(Date.now());
    const report = await get<ReportResult>(`/v1/reports/sales-by-branch?from=${today}&to=${today}`);
    for (const branch of BRANCHES) {
      const ours = [...rung].filter(([key]) => key.startsWith(`${branch.code}-`)).flatMap(([, s]) => s);
      const row = report.rows.find((r) => r.branch === branch.code);
      expect(row, branch.code).toBeDefined();
      expect(row!.sales_count).toBe(ours.length);
      expect(row!.sales).toBe(ours.reduce((sum, s) => sum + s.total, 0));
    }

    const health = await get<{ branches: BranchHealth[] }>('/v1/office/health');
    for (const t of tills) {
      const [branch, number] = t.key.split('-');
      const row = health.branches.find((b) => b.code === branch)!.tills.find((x) => x.till === Number(number))!;
      expect(row.salesToday, t.key).toBe(SALES_PER_TILL);
      expect(row.missing, t.key).toEqual([]);
      expect(row.ackedSeq, t.key).toBe(row.highestSeq);
    }
  }, 600_000);

  it('stops every part on Ctrl-C and keeps the data', async () => {
    // As a terminal's Ctrl-C does: SIGINT to npm and everything it started.
    process.kill(-chain.pid!, 'SIGINT');
    await closed;
    // The supervisor stops its parts in turn, whether or not npm is still there to relay what it says.
    const ports = [state.ports.api, state.ports.azurite, state.ports.control, ...Object.values(state.ports.tills)];
    await until(
      'every part to stop',
      async () => {
        const answering = await Promise.all(
          ports.map((port) =>
            fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) }).then(
              () => true,
              () => false,
            ),
          ),
        );
        return answering.some(Boolean) ? undefined : true;
      },
      60_000,
    );
    expect(output).not.toMatch(/restarting in/);
    const state2 = JSON.parse(readFileSync(join(dir, 'chain.json'), 'utf8')) as ChainState;
    expect(state2.seededAt).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'logs', 'cloud.log'), 'utf8')).toContain('stopped');
    // Every part is given 10 s to stop before it is killed; the tills stop together.
  }, 120_000);
});
