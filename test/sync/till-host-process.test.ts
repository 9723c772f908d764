import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CASHIER } from '../../main/testing/fixtures';
import { provisionTestTill } from '../../main/testing/provisioned-till';
import { haatSync } from './processes';

/**
 * `npm run till` as a process (main/host/cli.ts) on a till data folder. Head
 * office here is a small HTTP server that holds each pull until the test lets
 * it answer, so the test knows when the till's own sync is in progress.
 */
interface HeadOffice {
  readonly url: string;
  readonly pulls: number;
  /** Resolves when a pull is waiting for its answer. */
  pulled(): Promise<void>;
  /** Answers the waiting pulls, and every later one, with 503. */
  answer(): void;
  close(): Promise<void>;
}

async function startHeadOffice(): Promise<HeadOffice> {
  const held: ServerResponse[] = [];
  let answering = false;
  let pulls = 0;
  let onPull: (() => void) | null = null;
  const busy = (res: ServerResponse) => res.writeHead(503, { 'content-type': 'application/json' }).end('{}');
  const server: Server = createServer((req, res) => {
    if (!req.url?.startsWith('/v1/pull')) return void res.writeHead(200).end('ok');
    pulls += 1;
    if (answering) return busy(res);
    held.push(res);
    onPull?.();
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', () => ready()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get pulls() {
      return pulls;
    },
    pulled: () => (held.length > 0 ? Promise.resolve() : new Promise<void>((r) => (onPull = r))),
    answer() {
      answering = true;
      for (const res of held.splice(0)) busy(res);
    },
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

interface HostProcess {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Starts the till host as staff would, and waits until it says where it is open. */
function startHost(args: string[]): Promise<HostProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/host/cli.ts', '--port', '0', ...args], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return new Promise((resolve, reject) => {
    const read = (d: Buffer) => {
      output += d.toString();
      const open = /is open at (http:\/\/\S+)/.exec(output);
      if (open)
        resolve({
          child,
          url: open[1]!,
          output: () => output,
          stop() {
            child.kill('SIGTERM');
            return exited;
          },
        });
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    void exited.then((code) => reject(new Error(`the till host exited (${code}) before it opened:\n${output}`)));
  });
}

async function call(host: HostProcess, channel: string, input: unknown = {}, token?: string) {
  const res = await fetch(`${host.url}/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input),
  });
  return (await res.json()) as { ok: boolean; value: Record<string, unknown> & { token: string } };
}

let dir: string;
let host: HostProcess | null;
let headOffice: HeadOffice | null;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'haat-host-'));
  host = null;
  headOffice = null;
});
afterEach(async () => {
  if (host && host.child.exitCode === null) await host.stop();
  await headOffice?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the till host process', () => {
  it('says that a till head office has not provisioned does not sync', async () => {
    host = await startHost(['--data', dir, '--demo']);
    expect(host.output()).toContain(`Sync is off: this till is not provisioned (no credentials.json in ${dir})`);
    expect(host.output()).toContain(`npm run provision -- <bundle.json> --data ${dir}`);
    const token = (await call(host, 'session:login', { pin: CASHIER.pin })).value.token;
    expect((await call(host, 'sync:status', {}, token)).value).toMatchObject({ configured: false, online: null });
    expect(await host.stop()).toBe(0);
  });

  it('runs the timer of a provisioned till: its sync holds the lock, Sync now joins it, SIGTERM stops it', async () => {
    headOffice = await startHeadOffice();
    provisionTestTill(dir, headOffice.url);
    host = await startHost(['--data', dir]);
    expect(host.output()).toContain('Sync is on');
    // The timer syncs as soon as it starts; its pull is now held at head office, inside the lock.
    await headOffice.pulled();
    const refused = await haatSync(['--data', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Another sync is already running on this till');

    const token = (await call(host, 'session:login', { pin: CASHIER.pin })).value.token;
    expect((await call(host, 'sync:status', {}, token)).value).toMatchObject({ configured: true, running: true });
    const syncNow = call(host, 'sync:now', {}, token);
    await new Promise((r) => setTimeout(r, 500));
    expect(headOffice.pulls).toBe(1);
    headOffice.answer();
    expect((await syncNow).value).toMatchObject({ running: false, lastError: { kind: 'throttled' } });

    expect(await host.stop()).toBe(0);
    expect(host.output()).toContain('Closing the till');
    // The host let go of the lock: the command runs now, and fails only because head office is busy.
    expect((await haatSync(['--data', dir])).code).toBe(1);
  });
});
