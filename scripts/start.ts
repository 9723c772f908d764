/**
 * `npm start`: the whole chain on this machine. Azurite (the queue), the
 * central database (PGlite in the data folder, or the server named by
 * DATABASE_URL), the cloud API with its queue worker and the head-office
 * dashboard, and two branches, Dhaka with two tills and Chattogram with one,
 * each till with its host and sync timer. The first start seeds the chain
 * through head office's API and installs every till from its provisioning
 * bundle; later starts resume with the data kept.
 *
 *   npm start                      start, or resume
 *   npm start -- --fresh           forget everything and start over
 *   npm start -- --port 5300       the first of the ports to use (default 4300)
 *   npm start -- --data DIR        where the chain keeps its data (default .data/chain)
 *   npm run chain -- offline CTG01 cut a branch's lines to the API and queue (and `online`, `status`)
 *
 * `npm start` runs this with `node --import tsx`, not the tsx command: that
 * command kills its child when the child is slow to acknowledge a relayed
 * Ctrl-C, which would leave the parts running without their supervisor.
 */
import { existsSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { databaseConfig, loadConfig } from '../cloud-worker/config';
import { openDatabase } from '../cloud-worker/db/open';
import { azuriteConnectionString } from '../cloud-worker/queue/azurite';
import { createOfficeUser } from '../cloud-worker/repositories/office-user-repository';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';
import { answers, Supervisor } from './chain/children';
import {
  BRANCHES,
  chainPaths,
  checkPortFree,
  freePort,
  newOfficeLogin,
  planPorts,
  readState,
  tillKey,
  writeState,
  type ChainPaths,
  type ChainState,
} from './chain/plan';
import { AdminClient, seedChain } from './chain/seed';
import { buildWebApps } from './chain/build';
import { textTable } from './chain/summary';

const { values } = parseArgs({
  options: {
    fresh: { type: 'boolean', default: false },
    data: { type: 'string', default: '.data/chain' },
    port: { type: 'string', default: '4300' },
  },
});

const say = (line: string) => console.log(`[haat] ${line}`);

async function main(): Promise<void> {
  const paths = chainPaths(resolve(values.data));
  const databaseUrl = process.env.DATABASE_URL;
  if (values.fresh) await forget(paths, databaseUrl);

  let state = readState(paths);
  if (!state) {
    const base = Number(values.port);
    if (!Number.isInteger(base) || base < 0 || base > 65000)
      throw new Error(`--port: must be a port number, got ${values.port}`);
    state = { version: 1, ports: await planPorts(base), office: newOfficeLogin() };
    writeState(paths, state);
  }
  if (!state.ports.queueLines) {
    // A chain made before branches had a separate line to the queue.
    const queueLines: Record<string, number> = {};
    for (const branch of BRANCHES) queueLines[branch.code] = await freePort();
    state = { ...state, ports: { ...state.ports, queueLines } };
    writeState(paths, state);
  }
  const queueLines = state.ports.queueLines!;
  const { ports } = state;
  await Promise.all([
    checkPortFree('API', ports.api),
    checkPortFree('Azurite', ports.azurite),
    checkPortFree('control', ports.control),
    ...Object.entries(ports.lines).map(([b, p]) => checkPortFree(`${b} line`, p)),
    ...Object.entries(queueLines).map(([b, p]) => checkPortFree(`${b} queue line`, p)),
    ...Object.entries(ports.tills).map(([t, p]) => checkPortFree(`till ${t}`, p)),
  ]);

  await buildWebApps(say);
  const supervisor = new Supervisor(paths.logs, say);
  const lines = new Map<string, BranchLine>();
  let control: Server | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      say('stopping…');
      control?.close();
      await supervisor.stopAll();
      for (const line of lines.values()) await Promise.all([line.api.close(), line.queue.close()]);
      say('stopped; the data stays in ' + paths.data);
    })());
  // A terminal's Ctrl-C comes twice (to this process, and relayed by npm):
  // the second must not end the process before its parts are stopped.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => void stop().then(() => process.exit(0)));
  }

  try {
    const cloudEnv = {
      HAAT_PGLITE_DIR: paths.central,
      DATABASE_URL: databaseUrl,
      AZURE_STORAGE_CONNECTION_STRING: azuriteConnectionString(ports.azurite),
      HAAT_API_PORT: String(ports.api),
      HAAT_API_HOST: '127.0.0.1',
      HAAT_PUBLIC_API_URL: `http://127.0.0.1:${ports.api}`,
      HAAT_LOG_LEVEL: 'info',
    };
    await supervisor.start({
      name: 'azurite',
      script: 'scripts/azurite.ts',
      env: { AZURITE_QUEUE_PORT: String(ports.azurite), AZURITE_LOCATION: paths.azurite },
      ready: answers(`http://127.0.0.1:${ports.azurite}/devstoreaccount1?comp=list`),
    });
    say(`queue (Azurite) on port ${ports.azurite}`);

    if (!state.seededAt) await createOfficeLogin(state, paths, databaseUrl);
    await supervisor.start({
      name: 'cloud',
      script: 'cloud-worker/server-main.ts',
      env: cloudEnv,
      ready: answers(`http://127.0.0.1:${ports.api}/health`),
    });
    say(`head office's API and queue worker on port ${ports.api}`);

    if (!state.seededAt) {
      say('first start: seeding the chain through head office’s API…');
      const admin = await AdminClient.login(`http://127.0.0.1:${ports.api}`, state.office.email, state.office.password);
      await seedChain(admin, state, paths, say);
      state = { ...state, seededAt: Date.now() };
      writeState(paths, state);
    }

    for (const branch of BRANCHES) {
      lines.set(branch.code, {
        api: await startTcpProxy({ port: ports.api }, ports.lines[branch.code]),
        queue: await startTcpProxy({ port: ports.azurite }, queueLines[branch.code]),
      });
    }
    for (const branch of BRANCHES) {
      for (const till of branch.tills) {
        const key = tillKey(branch.code, till);
        const port = ports.tills[key]!;
        await supervisor.start({
          name: `till-${key}`,
          script: 'main/host/cli.ts',
          args: ['--data', paths.tillDir(branch.code, till), '--port', String(port)],
          // The till's sync sends to the queue through its branch's line too.
          env: { HAAT_QUEUE_ORIGIN: `http://127.0.0.1:${queueLines[branch.code]}` },
          stopGroup: 'tills',
          ready: answers(`http://127.0.0.1:${port}/`),
        });
      }
    }
    control = await startControl(ports.control, lines);
    printSummary(state, paths, databaseUrl);
  } catch (e) {
    await stop();
    throw e;
  }
}

/** The head-office login is made in the database before the API opens it (PGlite allows one process). */
async function createOfficeLogin(state: ChainState, paths: ChainPaths, databaseUrl: string | undefined) {
  const db = await openDatabase(
    databaseConfig(
      loadConfig({ HAAT_PGLITE_DIR: paths.central, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) }),
    ),
  );
  try {
    const [existing] = await db.query('SELECT 1 FROM admins WHERE email = $1', [state.office.email]);
    if (!existing) await createOfficeUser(db, { ...state.office, role: 'admin' });
  } finally {
    await db.close();
  }
}

async function forget(paths: ChainPaths, databaseUrl: string | undefined): Promise<void> {
  if (existsSync(paths.data)) {
    rmSync(paths.data, { recursive: true, force: true });
    say(`--fresh: removed ${paths.data}`);
  }
  if (databaseUrl) {
    const db = await openDatabase({ databaseUrl });
    try {
      await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
      say('--fresh: emptied the central database named by DATABASE_URL');
    } finally {
      await db.close();
    }
  }
}

/**
 * A small HTTP endpoint on localhost through which `npm run chain` takes a
 * branch offline and back: GET /status, POST /branches/<code>/offline|online.
 */
/** A branch's connection to head office: one line to the API and one to the queue, cut and restored together. */
interface BranchLine {
  readonly api: TcpProxy;
  readonly queue: TcpProxy;
}

function startControl(port: number, lines: Map<string, BranchLine>): Promise<Server> {
  const status = () =>
    Object.fromEntries([...lines].map(([code, line]) => [code, line.api.isCut ? 'offline' : 'online']));
  const server = createServer((req, res) => {
    const reply = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const m = /^\/branches\/([A-Z0-9]+)\/(offline|online)$/.exec(req.url ?? '');
    if (req.method === 'GET' && req.url === '/status') return reply(200, status());
    if (req.method !== 'POST' || !m)
      return reply(404, { error: 'use GET /status or POST /branches/<code>/offline|online' });
    const line = lines.get(m[1]!);
    if (!line) return reply(404, { error: `no branch ${m[1]}; branches: ${[...lines.keys()].join(', ')}` });
    const both = m[2] === 'offline' ? [line.api.cut(), line.queue.cut()] : [line.api.restore(), line.queue.restore()];
    void Promise.all(both).then(
      () => {
        say(`${m[1]} is ${m[2]}`);
        reply(200, status());
      },
      (e: unknown) => reply(500, { error: (e as Error).message }),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function printSummary(state: ChainState, paths: ChainPaths, databaseUrl: string | undefined): void {
  const { ports } = state;
  const rows: string[][] = [];
  for (const branch of BRANCHES) {
    const pins = branch.staff.map((s) => `${s.role === 'manager' ? 'manager' : 'cashier'} ${s.pin}`).join(', ');
    for (const till of branch.tills) {
      rows.push([
        `till ${tillKey(branch.code, till)}`,
        `http://127.0.0.1:${ports.tills[tillKey(branch.code, till)]}/`,
        pins,
      ]);
    }
  }
  rows.push([
    'head office',
    `http://127.0.0.1:${ports.api}/office/`,
    `${state.office.email} / ${state.office.password}`,
  ]);
  rows.push([
    'data',
    paths.data,
    databaseUrl ? `central database: ${redact(databaseUrl)}` : 'central database: PGlite in data/central',
  ]);
  rows.push(['offline', `npm run chain -- offline CTG01`, '`online` brings it back; `status` shows both']);
  rows.push(['stop', 'Ctrl-C', 'stops every part; `npm start` resumes, `-- --fresh` starts over']);
  console.log('\n' + textTable(['', 'where', 'how'], rows) + '\n');
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}

main().catch((e: unknown) => {
  console.error(`[haat] ${(e as Error).message}`);
  process.exit(1);
});
