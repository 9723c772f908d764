/**
 * The local chain: which branches, tills and people it has, and where its
 * state lives. Kept in the data folder (chain.json) so that a second
 * `npm start` finds the same ports, logins and tills.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface PlannedStaff {
  readonly code: string;
  readonly name: string;
  readonly role: 'cashier' | 'manager';
  readonly pin: string;
}

export interface PlannedBranch {
  readonly code: string;
  readonly nameEn: string;
  readonly nameBn: string;
  readonly tills: readonly number[];
  readonly staff: readonly PlannedStaff[];
}

export const BRANCHES: readonly PlannedBranch[] = [
  {
    code: 'DHK01',
    nameEn: 'Dhaka – Dhanmondi',
    nameBn: 'ঢাকা – ধানমন্ডি',
    tills: [1, 2],
    staff: [
      { code: 'C01', name: 'Rahim Uddin', role: 'cashier', pin: '1111' },
      { code: 'C02', name: 'Fatema Akter', role: 'cashier', pin: '2222' },
      { code: 'M01', name: 'Kamal Hossain', role: 'manager', pin: '9001' },
    ],
  },
  {
    code: 'CTG01',
    nameEn: 'Chattogram – Agrabad',
    nameBn: 'চট্টগ্রাম – আগ্রাবাদ',
    tills: [1],
    staff: [
      { code: 'C01', name: 'Nusrat Jahan', role: 'cashier', pin: '3333' },
      { code: 'M01', name: 'Abdul Karim', role: 'manager', pin: '9002' },
    ],
  },
];

export const OFFICE_EMAIL = 'office@haat.local';

export function tillKey(branch: string, till: number): string {
  return `${branch}-${till}`;
}

/** A stable id for a planned person, so that seeding is the same every time. */
export function staffId(branch: string, code: string): string {
  const h = createHash('sha256').update(`haat-chain-staff:${branch}:${code}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface ChainPorts {
  readonly api: number;
  readonly azurite: number;
  readonly control: number;
  /** Each branch's line to head office's API, which can be cut. */
  readonly lines: Readonly<Record<string, number>>;
  /** Each branch's line to the queue, cut together with its line to the API. */
  readonly queueLines?: Readonly<Record<string, number>>;
  readonly tills: Readonly<Record<string, number>>;
}

export interface ChainState {
  readonly version: 1;
  readonly ports: ChainPorts;
  readonly office: { readonly email: string; readonly password: string };
  readonly seededAt?: number;
}

export interface ChainPaths {
  readonly data: string;
  readonly state: string;
  readonly logs: string;
  readonly azurite: string;
  readonly central: string;
  tillDir(branch: string, till: number): string;
}

export function chainPaths(data: string): ChainPaths {
  return {
    data,
    state: join(data, 'chain.json'),
    logs: join(data, 'logs'),
    azurite: join(data, 'azurite'),
    central: join(data, 'central'),
    tillDir: (branch, till) => join(data, 'tills', tillKey(branch, till)),
  };
}

export function readState(paths: ChainPaths): ChainState | undefined {
  if (!existsSync(paths.state)) return undefined;
  const state = JSON.parse(readFileSync(paths.state, 'utf8')) as ChainState;
  if (state.version !== 1)
    throw new Error(`${paths.state}: unknown version ${String(state.version)}; start with --fresh`);
  return state;
}

export function writeState(paths: ChainPaths, state: ChainState): void {
  mkdirSync(paths.data, { recursive: true });
  writeFileSync(paths.state, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
}

/**
 * Ports for a new chain: from a fixed base (easy to remember: the API on
 * 4300) or, with base 0, whatever the system has free (for tests).
 */
export async function planPorts(base: number): Promise<ChainPorts> {
  const next =
    base === 0
      ? freePort
      : (() => {
          let n = base;
          return () => Promise.resolve(n++);
        })();
  const api = await next();
  const azurite = await next();
  const control = await next();
  const lines: Record<string, number> = {};
  for (const b of BRANCHES) lines[b.code] = await next();
  const tills: Record<string, number> = {};
  for (const b of BRANCHES) for (const t of b.tills) tills[tillKey(b.code, t)] = await next();
  const queueLines: Record<string, number> = {};
  for (const b of BRANCHES) queueLines[b.code] = await next();
  return { api, azurite, control, lines, tills, queueLines };
}

export function newOfficeLogin(): ChainState['office'] {
  return { email: OFFICE_EMAIL, password: randomBytes(12).toString('base64url') };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Fails with the port's name when something else already listens there. */
export async function checkPortFree(name: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `port ${port} (${name}) is in use${e.code === 'EADDRINUSE' ? '' : `: ${e.message}`}; stop what uses it, or start over elsewhere with --fresh --port <base>`,
        ),
      ),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}
