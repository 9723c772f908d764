import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { TillPage } from './till-page';
import { promisify } from 'node:util';
import { execFile } from 'node:child_process';
import { createPosService } from '../../main/api/pos-service';
import type { SyncControl } from '../../main/api/sync-control';
import { startTillHost, type TillHost } from '../../main/host/till-host';
import { openTillApp } from '../../main/host/till-app';
import type { Till } from '../../main/open-till';
import { tillPaths } from '../../main/sync/provision';
import { tempTill } from '../../main/testing/fixtures';

/**
 * What every browser test stands on: the real cashier screens built by
 * Vite, a real till host on a real SQLite file, and Debian's Chromium.
 * A sync control can be passed in, or a provisioned data folder, so the
 * suites that need the real sync (✔ then ✔✔, the network taken away) start
 * the till as the host command does, with its timer.
 */

const ROOT = resolve(import.meta.dirname, '../..');
export const SCREENS_DIR = join(ROOT, 'test-results', 'screens');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const VITE_BIN = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
const run = promisify(execFile);
let built: Promise<string> | null = null;

/** Builds the screens once per test process into a temp folder. */
export function buildRenderer(): Promise<string> {
  built ??= (async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'haat-web-'));
    // A child process, as `npm run build:renderer` does: the test runner's
    // NODE_ENV=test would otherwise give a development JSX transform.
    await run(process.execPath, [VITE_BIN, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production' },
    });
    return outDir;
  })();
  return built;
}

export interface E2eTill {
  readonly till: Till;
  readonly host: TillHost;
  close(): Promise<void>;
}

export interface E2eTillOptions {
  /** A stand-in for the sync service at the SyncControl boundary, on a temporary demo till. */
  readonly sync?: SyncControl;
  /**
   * A provisioned till data folder instead: the till opens as `npm run till --data` opens it,
   * with its real sync timer (pull, then push, on a worker thread).
   */
  readonly dataDir?: string;
  /** How often the real timer checks for head office while offline. */
  readonly probeIntervalMs?: number;
}

export async function startE2eTill(options: E2eTillOptions = {}): Promise<E2eTill> {
  const staticDir = await buildRenderer();
  if (options.dataDir) {
    const app = openTillApp({
      db: tillPaths(options.dataDir).db,
      log: () => undefined,
      serviceLog: () => undefined,
      ...(options.probeIntervalMs ? { probeIntervalMs: options.probeIntervalMs } : {}),
    });
    if (app.syncOff) throw new Error(app.syncOff);
    const host = await startTillHost({ service: app.service, staticDir });
    return {
      till: app.till,
      host,
      async close() {
        await host.close();
        await app.close();
      },
    };
  }
  const till = tempTill({ branch: 'DHK01', till: 2 });
  const service = createPosService(till, { ...(options.sync ? { sync: options.sync } : {}), log: () => undefined });
  const host = await startTillHost({ service, staticDir });
  return {
    till,
    host,
    async close() {
      await host.close();
      till.cleanup();
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Saves `test-results/screens/<nn>-<name>.png`, numbered in the order taken. */
export function screenshots(prefix: string) {
  mkdirSync(SCREENS_DIR, { recursive: true });
  for (const f of readdirSync(SCREENS_DIR)) if (f.startsWith(`${prefix}-`)) rmSync(join(SCREENS_DIR, f));
  let n = 0;
  return async (page: Page, name: string) => {
    n += 1;
    await page.screenshot({ path: join(SCREENS_DIR, `${prefix}-${String(n).padStart(2, '0')}-${name}.png`) });
  };
}

export function removeBuild(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface BrowserTill extends E2eTill {
  readonly browser: Browser;
  readonly page: Page;
  readonly ui: TillPage;
}

/** A till host and a Chromium page on it, the size of a till's screen. */
export async function startBrowserTill(options: E2eTillOptions = {}): Promise<BrowserTill> {
  const till = await startE2eTill(options);
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(10_000);
  return {
    ...till,
    browser,
    page,
    ui: new TillPage(page),
    async close() {
      await browser.close();
      await till.close();
    },
  };
}
