/**
 * The chaos run: a chain of branches and tills, each till a process of its
 * own using the real store, use cases and sync, against a real Azurite,
 * several real queue workers and the real PostgreSQL server (a database of
 * its own, dropped at the end), while faults are injected at random and
 * thousands of bad messages and requests are thrown at head office. At the
 * end every till's database is read against the central one (reconcile.ts).
 *
 * The network is loopback TCP proxies (scripts/tcp-proxy.ts): one per branch
 * in front of the queue, one per branch in front of the API, one in front of
 * PostgreSQL for the API and the workers. Cutting and resetting that last one
 * is what a PostgreSQL restart looks like to them; the machine's PostgreSQL
 * server itself is restarted only when `restartPostgres` names a command.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openDatabase } from '../../cloud-worker/db/open';
import { azuriteConnectionString, freePort, startAzurite, type Azurite } from '../../cloud-worker/queue/azurite';
import { createAdmin } from '../../cloud-worker/repositories/admin-repository';
import type { ProvisioningBundle } from '../../shared/wire/provisioning';
import type { TillEvent } from '../../shared/wire/events';
import { provisionTill, tillPaths } from '../../main/sync/provision';
import { seededRandom } from '../../main/testing/random';
import { buildNodeBundle } from '../build-app';
import { AdminClient } from '../chain/seed';
import { grocerCatalog } from '../seed/catalog';
import { startTcpProxy, type TcpProxy } from '../tcp-proxy';
import {
  drawMessages,
  drawRequests,
  MESSAGE_KINDS,
  REQUEST_KINDS,
  sendMessage,
  sendRequest,
  type BadMessage,
  type BadRequest,
  type Material,
  type MessageKind,
  type RequestMaterial,
  type RequestOutcome,
} from './bad-input';
import { Proc } from './processes';
import { reconcile, type Reconciliation } from './reconcile';
import type { TillArgs } from './till';

export interface ChaosOptions {
  readonly branches: number;
  readonly tillsPerBranch: number;
  /** Sales rung up in all, spread evenly over the tills. */
  readonly sales: number;
  readonly workers: number;
  /** Bad messages and requests in all (about 70 % messages). */
  readonly badInputs: number;
  readonly seed: number;
  /** Mean pause between two injected faults. */
  readonly faultEveryMs: number;
  /**
   * Pause between a till's sync runs. The shorter, the fewer sales in a
   * message and the more queue calls per sale; Azurite (unlike Azure) slows
   * as its queue grows, since each receive and delete scans it.
   */
  readonly syncEveryMs: number;
  /**
   * The longest a branch-outage lasts (it lasts half to all of it): long
   * enough for the branch's tills to have more than a message's worth of
   * sales waiting, so that their failed sync runs seal the outbox.
   */
  readonly outageMs: number;
  readonly products: number;
  /** The server the run makes its own database on (it is dropped at the end). */
  readonly databaseUrl: string;
  /** A shell command that restarts the PostgreSQL server itself (opt-in: e.g. `pg_ctlcluster 15 main restart`). */
  readonly restartPostgres?: string;
  /** How long the tills may take, once the faults stop, to have every event confirmed. */
  readonly settleTimeoutMs: number;
  /** Keep the data folder and the database for a look afterwards. */
  readonly keep?: boolean;
  readonly progress?: (line: string) => void;
}

export const FAULT_KINDS = [
  'worker-killed',
  'till-killed-mid-sale',
  'till-killed-mid-push',
  'azurite-restarted',
  'azurite-killed',
  'postgres-cut',
  'postgres-reset',
  'queue-line-cut',
  'queue-line-slow',
  'queue-line-reset',
  'api-line-cut',
  'api-line-slow',
  'api-line-reset',
  'branch-outage',
] as const;
type InjectedFault = (typeof FAULT_KINDS)[number] | 'postgres-restarted';
/** Faults the tills make themselves and report: the queue's duplicates and delays, wrong clocks. */
export const TILL_FAULT_KINDS = ['message-duplicated', 'message-delayed', 'clock-skewed'] as const;

export interface BadInputTally {
  readonly sent: number;
  /** Refused with a reason: by the worker (rejected_messages), the queue itself (413) or the API (4xx and a reason). */
  readonly rejected: number;
  /** Genuine old batches sent again, and pulls naming another branch: harmless when nothing changes. */
  readonly harmless: number;
  readonly acceptedByMistake: number;
  /** Answered 5xx, or 4xx without a reason, even after the faults stopped. */
  readonly noReason: number;
  /** Lost by the queue (Azurite killed) before a worker saw them, then sent again and refused. */
  readonly lostByQueueAndResent: number;
  readonly byKind: Record<string, { sent: number; rejected: number; harmless: number; accepted: number }>;
}

export interface ChaosReport {
  readonly options: Omit<ChaosOptions, 'progress' | 'databaseUrl'>;
  readonly reconciliation: Reconciliation;
  readonly badInputs: BadInputTally;
  readonly faults: Record<string, number>;
  readonly workersRunning: number;
  readonly workersExpected: number;
  /** Failed sync runs that packed the outbox ahead, and the messages they packed (sent as they were once a run got through). */
  readonly sealed: { readonly runs: number; readonly messages: number };
  /** Exits of tills, workers and the API that no kill caused (e.g. a worker that could not reach PostgreSQL at its start); each was started again. */
  readonly crashes: Record<string, number>;
  readonly settled: boolean;
  readonly durationMs: number;
  readonly dataDir: string;
  /** Empty when every check holds. */
  readonly failures: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface TillState {
  readonly key: string;
  readonly branch: string;
  readonly till: number;
  readonly dir: string;
  readonly proc: Proc;
  readonly announced: Set<string>;
  reachedTarget: boolean;
  done: boolean;
  killOnSale: number | null;
  killOnPush: number | null;
}

interface BranchState {
  readonly code: string;
  readonly queueLine: TcpProxy;
  readonly apiLine: TcpProxy;
  /** Both lines are cut for a while; the short cuts leave them to the outage's end. */
  outage: boolean;
  readonly tills: TillState[];
  readonly managerPin: string;
}

export async function runChaos(o: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const say = o.progress ?? (() => undefined);
  const random = seededRandom(o.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const pickOf = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const dir = mkdtempSync(join(tmpdir(), 'haat-chaos-'));
  const logDir = join(dir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const faults: Record<string, number> = {};
  const sealed = { runs: 0, messages: 0 };
  const faultLog: string[] = [];
  const count = (kind: string, detail = '') => {
    faults[kind] = (faults[kind] ?? 0) + 1;
    faultLog.push(`${((Date.now() - started) / 1000).toFixed(1)}s ${kind} ${detail}`.trim());
  };
  const cleanups: (() => Promise<void> | void)[] = [];

  // The central database: one of our own on the server.
  const dbName = `chaos_${randomBytes(5).toString('hex')}`;
  const serverUrl = new URL(o.databaseUrl);
  const centralUrl = new URL(o.databaseUrl);
  centralUrl.pathname = `/${dbName}`;
  const adminClient = new pg.Client({ connectionString: o.databaseUrl });
  await adminClient.connect();
  await adminClient.query(`CREATE DATABASE ${dbName}`);
  await adminClient.end();
  if (!o.keep) {
    cleanups.push(async () => {
      const c = new pg.Client({ connectionString: o.databaseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await c.end();
    });
  }

  const workers: Proc[] = [];
  const branches: BranchState[] = [];
  let api: Proc | undefined;
  let azurite: Azurite | undefined;
  let azuriteBusy: Promise<void> | null = null;
  let azuriteFailure: Error | null = null;
  let azuriteBackAt = 0;
  const restores = new Set<NodeJS.Timeout>();
  let stopping = false;

  try {
    const pgLine = await startTcpProxy({ host: serverUrl.hostname, port: Number(serverUrl.port || 5432) }, 0, {
      delayMs: 0,
    });
    cleanups.push(() => pgLine.close());
    const proxiedUrl = new URL(centralUrl);
    proxiedUrl.hostname = '127.0.0.1';
    proxiedUrl.port = String(pgLine.port);

    // Migrations and a head-office login, straight to the server.
    const email = `chaos-${randomUUID()}@haat.example`;
    const password = randomBytes(18).toString('base64url');
    const central = await openDatabase({ databaseUrl: centralUrl.toString() });
    await createAdmin(central, email, password);
    await central.close();

    const azuriteDir = join(dir, 'azurite');
    azurite = await startAzurite(azuriteDir);
    const azuritePort = azurite.port;
    cleanups.push(() => azurite?.stop());
    const account = QueueServiceClient.fromConnectionString(azuriteConnectionString(azuritePort));
    const queue = account.getQueueClient('sales');
    const poison = account.getQueueClient('sales-poison');
    await queue.createIfNotExists();
    await poison.createIfNotExists();

    const cloudEnv = {
      DATABASE_URL: proxiedUrl.toString(),
      AZURE_STORAGE_CONNECTION_STRING: azuriteConnectionString(azuritePort),
      HAAT_QUEUE: 'sales',
      HAAT_LOG_LEVEL: 'warn',
      HAAT_VISIBILITY_TIMEOUT: '20',
      HAAT_MAX_IDLE_MS: '500',
    };
    const apiPort = await freePort();
    api = new Proc({
      name: 'api',
      script: 'cloud-worker/server-main.ts',
      env: { ...cloudEnv, HAAT_ROLE: 'api', HAAT_API_PORT: String(apiPort) },
      logDir,
    });
    api.start();
    const apiBase = `http://127.0.0.1:${apiPort}`;
    await waitFor('the API', () => fetch(`${apiBase}/health`).then((r) => r.ok), 60_000, api);
    for (let i = 0; i < o.workers; i++) {
      const w = new Proc({ name: `worker-${i + 1}`, script: 'cloud-worker/worker-main.ts', env: cloudEnv, logDir });
      w.start();
      workers.push(w);
    }
    const pendingWorkerRestart = new Set<Proc>();
    // A part that dies on its own comes back too, as its host would restart it; the count of crashes says it happened.
    const superviseWorkers = setInterval(() => {
      if (stopping) return;
      for (const p of [api!, ...workers]) if (!p.alive && !pendingWorkerRestart.has(p)) p.start();
    }, 1000);
    cleanups.push(() => clearInterval(superviseWorkers));

    // The chain, through head office's admin API.
    const admin = await AdminClient.login(apiBase, email, password);
    const catalog = grocerCatalog({ size: o.products, seed: o.seed });
    say(`seeding ${o.branches} branches × ${o.tillsPerBranch} tills and ${catalog.length} products`);
    for (let i = 0; i < catalog.length; i += 8) {
      await Promise.all(
        catalog.slice(i, i + 8).map(({ id, ...product }) => admin.call('PUT', `/v1/admin/products/${id}`, product)),
      );
    }
    // Tills are killed and started again all the time: one bundled file starts in a fraction of tsx's time.
    const tillBundle = await bundleTill();
    const perTill = Math.ceil(o.sales / (o.branches * o.tillsPerBranch));
    for (let b = 0; b < o.branches; b++) {
      const code = `CH${String(b + 1).padStart(2, '0')}`;
      // Resend what stays ✔ without ✔✔ as soon as head office allows.
      await admin.call('POST', '/v1/admin/branches', {
        code,
        nameEn: `Chaos ${b + 1}`,
        nameBn: `শাখা ${b + 1}`,
        settings: { resendAfterMinutes: 5 },
      });
      const managerPin = String(700_000 + b);
      await admin.call('PUT', `/v1/admin/branches/${code}/staff/${randomUUID()}`, {
        code: 'M01',
        name: 'Kamal Hossain',
        role: 'manager',
        active: true,
        pin: managerPin,
      });
      const queueLine = await startTcpProxy({ port: azuritePort }, 0, { delayMs: 0 });
      const apiLine = await startTcpProxy({ port: apiPort }, 0, { delayMs: 0 });
      cleanups.push(
        () => queueLine.close(),
        () => apiLine.close(),
      );
      const branch: BranchState = { code, queueLine, apiLine, outage: false, tills: [], managerPin };
      branches.push(branch);
      for (let t = 1; t <= o.tillsPerBranch; t++) {
        const cashierPin = String(100_000 + b * 100 + t);
        await admin.call('PUT', `/v1/admin/branches/${code}/staff/${randomUUID()}`, {
          code: `C${String(t).padStart(2, '0')}`,
          name: 'Rahim Uddin',
          role: 'cashier',
          active: true,
          pin: cashierPin,
        });
        const bundle = await admin.call<ProvisioningBundle>('POST', `/v1/admin/branches/${code}/tills`, { till: t });
        const tillDir = join(dir, 'tills', `${code}-${t}`);
        mkdirSync(tillDir, { recursive: true });
        provisionTill(tillDir, JSON.stringify({ ...bundle, apiUrl: `http://127.0.0.1:${apiLine.port}` }));
        // Every third till's clock (the first among them) is hours wrong, either way.
        const skewMs = (b * o.tillsPerBranch + t - 1) % 3 === 0 ? (random() < 0.5 ? -1 : 1) * int(1, 9) * 3_600_000 : 0;
        if (skewMs !== 0) count('clock-skewed', `${code}-${t} by ${skewMs / 3_600_000} h`);
        const args: TillArgs = {
          dir: tillDir,
          seed: o.seed * 1000 + b * 100 + t,
          skewMs,
          target: perTill,
          cashierPin,
          managerPin,
          queueOrigin: `http://127.0.0.1:${queueLine.port}`,
          duplicateRate: 0.1,
          delayRate: 0.1,
          syncEveryMs: o.syncEveryMs,
        };
        const state: TillState = {
          key: `${code}-${t}`,
          branch: code,
          till: t,
          dir: tillDir,
          announced: new Set(),
          reachedTarget: false,
          done: false,
          killOnSale: null,
          killOnPush: null,
          proc: new Proc({
            name: `till-${code}-${t}`,
            script: tillBundle,
            args: [JSON.stringify(args)],
            logDir,
            onLine: (line) => onTillLine(state, line),
            // The tills sell as fast as the machine allows; on the lowest
            // priority they take what head office leaves, as a chain's tills
            // do not share head office's machine. On normal priority forty of
            // them starve Azurite and the workers, and the queue falls behind.
            priority: 19,
          }),
        };
        branch.tills.push(state);
      }
    }
    const tills = branches.flatMap((b) => b.tills);
    let finishing = false;

    function onTillLine(t: TillState, line: string): void {
      const [what, ...rest] = line.split(' ');
      switch (what) {
        case 'SALE':
          t.announced.add(rest[0]!);
          if (t.killOnSale !== null) {
            const delay = t.killOnSale;
            t.killOnSale = null;
            setTimeout(() => killTill(t, 'till-killed-mid-sale'), delay);
          }
          break;
        case 'PUSHING':
          if (t.killOnPush !== null) {
            const delay = t.killOnPush;
            t.killOnPush = null;
            setTimeout(() => killTill(t, 'till-killed-mid-push'), delay);
          }
          break;
        case 'FAULT':
          count(rest[0]!, t.key);
          break;
        case 'SEALED':
          sealed.runs += 1;
          sealed.messages += Number(rest[0]);
          break;
        case 'TARGET':
          t.reachedTarget = true;
          break;
        case 'DONE':
          t.done = true;
          t.proc.expectExit();
          break;
      }
    }

    function killTill(t: TillState, kind: InjectedFault): void {
      if (stopping || finishing || !t.proc.alive) return;
      t.proc.kill('SIGKILL');
      count(kind, t.key);
      void t.proc.exited
        .then(() => sleep(int(100, 1000)))
        .then(() => {
          if (!stopping) startTill(t);
        });
    }

    function startTill(t: TillState): void {
      t.proc.start();
      if (finishing) t.proc.send('FINISH');
      void t.proc.exited.then(({ code }) => {
        // A till that stopped on its own (not DONE, not killed by us) is a crash: start it again.
        if (!stopping && !t.done && code !== null && code !== 0) {
          say(`${t.key} exited with ${code}; the end of its log:\n${t.proc.tail()}`);
          setTimeout(() => !stopping && !t.proc.alive && startTill(t), 1000);
        }
      });
    }

    say(`starting ${tills.length} tills, ${perTill} sales each`);
    for (const t of tills) startTill(t);

    async function killAzurite(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
      const a = azurite!;
      if (signal === 'SIGTERM') await a.stop();
      else {
        process.kill(a.pid!, 'SIGKILL');
        while (isAlive(a.pid!)) await sleep(50);
      }
      await sleep(int(200, 2000));
      // On a busy machine Azurite can take long to load what it saved: try until it listens.
      for (let attempt = 1; ; attempt++) {
        try {
          // Loading what it saved takes Azurite 10–15 s on a quiet machine, far longer on a loaded one.
          azurite = await startAzurite(azuriteDir, azuritePort, { startTimeoutMs: 180_000 });
          // Killed, it can lose even a queue it had made (it saves its metadata every few seconds):
          // an operator would make it again; every message in it is the tills' to send again.
          for (const q of [queue, poison]) {
            if ((await q.createIfNotExists()).succeeded) count('azurite-lost-a-queue', q.name);
          }
          return;
        } catch (e) {
          say(`Azurite did not come back (attempt ${attempt}): ${(e as Error).message.split('\n')[0]}`);
          if (attempt >= 3) throw e;
        }
      }
    }

    const later = (ms: number, fn: () => void | Promise<void>) => {
      const timer = setTimeout(() => {
        restores.delete(timer);
        void fn();
      }, ms);
      restores.add(timer);
    };

    async function inject(kind: InjectedFault): Promise<boolean> {
      const branch = pickOf(branches);
      switch (kind) {
        case 'worker-killed': {
          const w = workers.filter((x) => x.alive);
          if (w.length === 0) return false;
          const victim = pickOf(w);
          victim.kill('SIGKILL');
          pendingWorkerRestart.add(victim);
          later(int(300, 1500), () => {
            pendingWorkerRestart.delete(victim);
            if (!stopping) victim.start();
          });
          count(kind, victim.spec.name);
          return true;
        }
        case 'till-killed-mid-sale': {
          const selling = tills.filter((t) => !t.reachedTarget && t.proc.alive);
          if (selling.length === 0) return false;
          pickOf(selling).killOnSale = int(0, 5);
          return true;
        }
        case 'till-killed-mid-push': {
          const t = pickOf(tills.filter((x) => x.proc.alive));
          if (!t) return false;
          t.killOnPush = int(0, 150);
          return true;
        }
        case 'azurite-restarted':
        case 'azurite-killed':
          // Azurite takes 10–30 s to come back: give it a minute up between two of its faults.
          if (azuriteBusy || Date.now() - azuriteBackAt < 60_000) return false;
          count(kind);
          azuriteBusy = killAzurite(kind === 'azurite-killed' ? 'SIGKILL' : 'SIGTERM')
            .catch((e: Error) => {
              azuriteFailure = e;
            })
            .finally(() => {
              azuriteBusy = null;
              azuriteBackAt = Date.now();
            });
          return true;
        case 'postgres-cut':
          if (pgLine.isCut) return false;
          await pgLine.cut();
          later(int(1000, 4000), () => pgLine.restore());
          count(kind);
          return true;
        case 'postgres-reset':
          pgLine.reset();
          count(kind);
          return true;
        case 'postgres-restarted':
          count(kind);
          await promisify(execFile)('sh', ['-c', o.restartPostgres!]).catch((e: Error) =>
            say(`restarting PostgreSQL failed: ${e.message}`),
          );
          return true;
        case 'queue-line-cut':
        case 'api-line-cut': {
          const line = kind === 'queue-line-cut' ? branch.queueLine : branch.apiLine;
          if (line.isCut) return false;
          await line.cut();
          later(int(1000, 5000), () => (branch.outage ? undefined : line.restore()));
          count(kind, branch.code);
          return true;
        }
        case 'branch-outage': {
          // One at a time: a branch whose shop line is down for minutes.
          if (branches.some((b) => b.outage)) return false;
          branch.outage = true;
          for (const line of [branch.apiLine, branch.queueLine]) if (!line.isCut) await line.cut();
          later(int(Math.ceil(o.outageMs / 2), o.outageMs), async () => {
            branch.outage = false;
            await branch.apiLine.restore();
            await branch.queueLine.restore();
          });
          count(kind, branch.code);
          return true;
        }
        case 'queue-line-slow':
        case 'api-line-slow': {
          const line = kind === 'queue-line-slow' ? branch.queueLine : branch.apiLine;
          line.setDelay(int(100, 800));
          later(int(2000, 6000), () => line.setDelay(0));
          count(kind, branch.code);
          return true;
        }
        case 'queue-line-reset':
        case 'api-line-reset':
          (kind === 'queue-line-reset' ? branch.queueLine : branch.apiLine).reset();
          count(kind, branch.code);
          return true;
      }
    }

    const kinds: InjectedFault[] = [...FAULT_KINDS, ...(o.restartPostgres ? ['postgres-restarted' as const] : [])];
    const allKindsSeen = () => [...kinds, ...TILL_FAULT_KINDS].every((k) => (faults[k] ?? 0) > 0);
    let injecting = true;
    const injector = (async () => {
      // Each kind once first, in a shuffled order (a till killed mid-sale first, while they all sell), then at random.
      const firstRound = [
        'till-killed-mid-sale' as const,
        ...kinds.filter((k) => k !== 'till-killed-mid-sale').sort(() => random() - 0.5),
      ];
      while (injecting) {
        await sleep(o.faultEveryMs * (0.5 + random()));
        if (!injecting) break;
        const kind = firstRound.shift() ?? pickOf(kinds);
        const done = await inject(kind).catch((e: Error) => {
          say(`injecting ${kind} failed: ${e.message}`);
          return false;
        });
        if (!done && !firstRound.includes(kind) && !faults[kind]) firstRound.push(kind);
      }
    })();

    // The hostile traffic, once every branch has real events to forge from.
    const bad = new BadInputs(o, queue, apiBase, say, random);
    const hostile = (async () => {
      const materials = await waitFor(
        'real events at every branch',
        async () => {
          const m = branches.map((b, i) => materialOf(b, branches[(i + 1) % branches.length]!));
          return m.every((x) => x !== undefined) ? (m as Material[]) : undefined;
        },
        300_000,
      );
      const adminToken = admin.token;
      const requestMaterials: RequestMaterial[] = branches.map((b, i) => ({
        branch: b.code,
        pullToken: readBundle(b.tills[0]!.dir).pullToken,
        adminToken,
        otherBranch: branches[(i + 1) % branches.length]!.code,
      }));
      await bad.send(materials, requestMaterials);
    })();

    // Run until every till has rung up its sales, every kind of fault has happened and the bad inputs went out.
    let hostileDone = false;
    void hostile.then(
      () => (hostileDone = true),
      (e: Error) => {
        say(`sending bad inputs failed: ${e.message}`);
        hostileDone = true;
      },
    );
    let last = 0;
    let allSold: number | null = null;
    // Once all is sold, faults go on for at most a minute more, until each kind has happened.
    while (!(allSold !== null && hostileDone && (allKindsSeen() || Date.now() - allSold > 60_000))) {
      if (allSold === null && tills.every((t) => t.reachedTarget)) allSold = Date.now();
      await sleep(1000);
      if (azuriteFailure) throw new Error('Azurite would not start again', { cause: azuriteFailure });
      const sold = tills.reduce((n, t) => n + t.announced.size, 0);
      if (Date.now() - last > 10_000) {
        last = Date.now();
        const injected = Object.values(faults).reduce((a, b) => a + b, 0);
        say(`${sold} sales rung, ${injected} faults, ${bad.sentCount} bad inputs sent`);
      }
    }

    // The faults stop; everything comes back.
    injecting = false;
    await injector;
    for (const timer of restores) clearTimeout(timer);
    restores.clear();
    if (azuriteBusy) await azuriteBusy;
    await pgLine.restore();
    for (const b of branches) {
      b.outage = false;
      await b.queueLine.restore();
      await b.apiLine.restore();
      b.queueLine.setDelay(0);
      b.apiLine.setDelay(0);
    }
    for (const w of workers) if (!w.alive) w.start();
    say('faults stopped; each till closes its shift and waits for ✔✔ on every event');
    finishing = true;
    for (const t of tills) t.proc.send('FINISH');
    const settled = await waitFor(
      'every till to have every event confirmed',
      async () => (tills.every((t) => t.done) ? true : undefined),
      o.settleTimeoutMs,
    ).catch((e: Error) => {
      say(e.message);
      return false;
    });
    await waitFor('the queue to be empty', () => queueEmpty(queue), 120_000).catch((e: Error) => say(e.message));
    const badInputs = await bad.settle(centralUrl.toString(), () => queueEmpty(queue));

    const workersRunning = workers.filter((w) => w.alive).length;
    stopping = true;
    await Promise.all(tills.map((t) => t.proc.close()));
    await Promise.all(workers.map((w) => w.close()));
    await api.close();

    say('reconciling every till against the central database');
    const reconciliation = await reconcile(
      tills.map((t) => ({
        branch: t.branch,
        till: t.till,
        dbPath: tillPaths(t.dir).db,
        announced: t.announced,
      })),
      centralUrl.toString(),
    );

    const crashes: Record<string, number> = {
      tills: tills.reduce((n, t) => n + t.proc.crashes, 0),
      workers: workers.reduce((n, w) => n + w.crashes, 0),
      api: api.crashes,
    };
    const failures: string[] = [];
    const zero = (what: string, n: number) => n !== 0 && failures.push(`${what}: ${n}`);
    zero('sales lost', reconciliation.sales.lost);
    zero('sales duplicated', reconciliation.sales.duplicated);
    zero('sales unexpected', reconciliation.sales.unexpected);
    zero('events lost', reconciliation.events.lost);
    zero('events duplicated', reconciliation.events.duplicated);
    zero('events unexpected', reconciliation.events.unexpected);
    zero('altered in central', reconciliation.altered);
    zero('bad inputs accepted by mistake', badInputs.acceptedByMistake);
    zero('bad inputs answered without a reason', badInputs.noReason);
    if (!settled) failures.push('the tills did not all have every event confirmed in time');
    if (badInputs.sent < o.badInputs) failures.push(`only ${badInputs.sent} of ${o.badInputs} bad inputs were sent`);
    if (reconciliation.sales.made < o.sales) {
      failures.push(`only ${reconciliation.sales.made} of ${o.sales} sales were rung up`);
    }
    await writeFaultLog(logDir, faultLog);
    return {
      options: {
        branches: o.branches,
        tillsPerBranch: o.tillsPerBranch,
        sales: o.sales,
        workers: o.workers,
        badInputs: o.badInputs,
        seed: o.seed,
        faultEveryMs: o.faultEveryMs,
        syncEveryMs: o.syncEveryMs,
        outageMs: o.outageMs,
        products: o.products,
        settleTimeoutMs: o.settleTimeoutMs,
        ...(o.restartPostgres ? { restartPostgres: o.restartPostgres } : {}),
        ...(o.keep ? { keep: o.keep } : {}),
      },
      reconciliation,
      badInputs,
      faults,
      workersRunning,
      workersExpected: o.workers,
      sealed,
      crashes,
      settled,
      durationMs: Date.now() - started,
      dataDir: dir,
      failures,
    };
  } finally {
    stopping = true;
    for (const timer of restores) clearTimeout(timer);
    for (const t of branches.flatMap((b) => b.tills)) await t.proc.close().catch(() => undefined);
    for (const w of workers) await w.close().catch(() => undefined);
    await api?.close().catch(() => undefined);
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
    if (!o.keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** The till's entry as one CommonJS file in the repository's node_modules (where its packages resolve), with the till store's migrations beside it. */
async function bundleTill(): Promise<string> {
  const out = fileURLToPath(new URL('../../node_modules/.cache/haat-chaos/', import.meta.url));
  await buildNodeBundle(fileURLToPath(new URL('./till.ts', import.meta.url)), `${out}till.cjs`);
  cpSync(fileURLToPath(new URL('../../main/store/migrations', import.meta.url)), `${out}migrations`, {
    recursive: true,
  });
  return `${out}till.cjs`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs: number,
  proc?: Proc,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${proc ? `; the end of its log:\n${proc.tail()}` : ''}`);
    }
    await sleep(300);
  }
}

async function queueEmpty(queue: QueueClient): Promise<boolean> {
  const props = await queue.getProperties();
  return (props.approximateMessagesCount ?? 1) === 0;
}

function readBundle(dir: string): ProvisioningBundle {
  return JSON.parse(readFileSync(tillPaths(dir).credentials, 'utf8')) as ProvisioningBundle;
}

/** A branch's first till: its credentials and up to 20 of its recorded events, read from its own database. */
function materialOf(branch: BranchState, other: BranchState): Material | undefined {
  const t = branch.tills[0]!;
  const db = new Database(tillPaths(t.dir).db, { readonly: true, fileMustExist: true });
  try {
    const bodies = db.prepare('SELECT body FROM outbox ORDER BY seq LIMIT 20').pluck().all() as string[];
    if (bodies.length < 5) return undefined;
    const bundle = readBundle(t.dir);
    return {
      branch: branch.code,
      till: t.till,
      keyId: bundle.keyId,
      signingKey: bundle.signingKey,
      events: bodies.map((b) => JSON.parse(b) as TillEvent),
      otherBranch: other.code,
      otherTill: 1,
    };
  } finally {
    db.close();
  }
}

async function writeFaultLog(logDir: string, lines: readonly string[]): Promise<void> {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(join(logDir, 'faults.log'), lines.join('\n') + '\n');
}

/** Sends the bad messages and requests, and at the end finds out what became of each. */
class BadInputs {
  private readonly messages = new Map<string, BadMessage>();
  private refusedByQueue: { kind: MessageKind }[] = [];
  private readonly requests: { req: BadRequest; outcome: RequestOutcome | 'network' }[] = [];
  sentCount = 0;

  constructor(
    private readonly o: ChaosOptions,
    private readonly queue: QueueClient,
    private readonly apiBase: string,
    private readonly say: (line: string) => void,
    private readonly random: () => number,
  ) {}

  async send(materials: readonly Material[], requestMaterials: readonly RequestMaterial[]): Promise<void> {
    const messageCount = Math.round(this.o.badInputs * 0.7);
    const messages = drawMessages(messageCount, materials, this.o.seed);
    const requests = drawRequests(this.o.badInputs - messageCount, requestMaterials, this.o.seed + 1);
    // Two streams, each a few at a time with short pauses: under fire, beside the good traffic.
    const stream = async <T>(items: readonly T[], width: number, one: (item: T) => Promise<void>) => {
      for (let i = 0; i < items.length; i += width) {
        await Promise.all(items.slice(i, i + width).map(one));
        await sleep(Math.floor(this.random() * 10));
      }
    };
    await Promise.all([stream(messages, 48, (m) => this.sendOne(m)), stream(requests, 16, (r) => this.ask(r))]);
  }

  private async sendOne(m: BadMessage): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await sendMessage(this.queue, m);
        if ('messageId' in r) this.messages.set(r.messageId, m);
        else this.refusedByQueue.push({ kind: m.kind });
        this.sentCount++;
        return;
      } catch (e) {
        // Azurite is down for a moment (a fault of ours): try again.
        if (attempt > 200) throw e;
        await sleep(250);
      }
    }
  }

  private async ask(req: BadRequest): Promise<void> {
    const outcome = await sendRequest(this.apiBase, req).catch(() => 'network' as const);
    this.requests.push({ req, outcome });
    this.sentCount++;
  }

  async settle(centralUrl: string, queueEmpty: () => Promise<boolean>): Promise<BadInputTally> {
    const byKind: BadInputTally['byKind'] = {};
    for (const k of [...MESSAGE_KINDS, ...REQUEST_KINDS])
      byKind[k] = { sent: 0, rejected: 0, harmless: 0, accepted: 0 };
    const rejectedIds = async (ids: readonly string[]) => {
      const c = new pg.Client({ connectionString: centralUrl });
      await c.connect();
      try {
        const r = await c.query<{ message_id: string }>(
          "SELECT message_id FROM rejected_messages WHERE message_id = ANY($1) AND reason <> ''",
          [ids],
        );
        return new Set(r.rows.map((x) => x.message_id));
      } finally {
        await c.end();
      }
    };

    let rejected = 0;
    let harmless = 0;
    let acceptedByMistake = 0;
    let noReason = 0;
    let lostByQueueAndResent = 0;
    for (const r of this.refusedByQueue) {
      byKind[r.kind]!.sent++;
      byKind[r.kind]!.rejected++;
      rejected++;
    }
    const found = await rejectedIds([...this.messages.keys()]);
    const missing: BadMessage[] = [];
    for (const [id, m] of this.messages) {
      byKind[m.kind]!.sent++;
      if (m.kind === 'replayed') {
        // Ingested again as nothing new; the reconciliation proves no duplicate came of it.
        byKind[m.kind]!.harmless++;
        harmless++;
      } else if (found.has(id)) {
        byKind[m.kind]!.rejected++;
        rejected++;
      } else missing.push(m);
    }
    if (missing.length > 0) {
      // Not refused and not in the queue: either a worker took it in, or Azurite lost it when it was
      // killed. Sent again with the faults stopped, each must now be refused; one that is not was accepted.
      this.say(`${missing.length} bad messages neither refused nor in the queue; sending them again`);
      const again = new Map<string, BadMessage>();
      for (const m of missing) {
        const r = await sendMessage(this.queue, m);
        if ('messageId' in r) again.set(r.messageId, m);
      }
      await waitFor('the queue to be empty', queueEmpty, 120_000).catch(() => undefined);
      const refusedNow = await rejectedIds([...again.keys()]);
      for (const [id, m] of again) {
        if (refusedNow.has(id)) {
          byKind[m.kind]!.rejected++;
          rejected++;
          lostByQueueAndResent++;
        } else {
          byKind[m.kind]!.accepted++;
          acceptedByMistake++;
        }
      }
    }

    for (const r of this.requests) {
      let outcome = r.outcome;
      // Asked while PostgreSQL or the network was down: ask again now that it is back.
      if (outcome === 'server-error' || outcome === 'network') {
        outcome = await sendRequest(this.apiBase, r.req).catch(() => 'network' as const);
      }
      const k = byKind[r.req.kind]!;
      k.sent++;
      if (outcome === 'rejected') {
        k.rejected++;
        rejected++;
      } else if (outcome === 'own-data-only') {
        k.harmless++;
        harmless++;
      } else if (outcome === 'accepted') {
        k.accepted++;
        acceptedByMistake++;
      } else noReason++;
    }
    return {
      sent: this.sentCount,
      rejected,
      harmless,
      acceptedByMistake,
      noReason,
      lostByQueueAndResent,
      byKind,
    };
  }
}
