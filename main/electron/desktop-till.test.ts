import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncStatusView } from '../../shared/pos-api';
import type { TillApp } from '../host/till-app';
import { CASHIER } from '../testing/fixtures';
import { provisionTestTill, unreachableUrl } from '../testing/provisioned-till';
import { type AppLike, desktopTillDb, runDesktopTill } from './desktop-till';

/**
 * Electron's `app` without the binary: an emitter that quits as Electron
 * does, asking 'before-quit' listeners first, so the till's start and its
 * clean stop are checked on a real till data folder with a real timer.
 */
class FakeApp extends EventEmitter implements AppLike {
  quitted = false;
  /** False: another copy of the app holds the lock. */
  firstCopy = true;
  constructor(private readonly userData: string) {
    super();
  }
  async whenReady() {}
  requestSingleInstanceLock() {
    return this.firstCopy;
  }
  getPath() {
    return this.userData;
  }
  quit() {
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => void (prevented = true) });
    if (!prevented) this.quitted = true;
  }
}

let dir: string;
let app: FakeApp;
let tillApp: TillApp | null;
const lines: string[] = [];
const events: string[] = [];

async function start(env: Record<string, string>, background = false): Promise<TillApp> {
  const started = await runDesktopTill(app, {
    env: { HAAT_TILL_DIR: dir, ...env },
    background,
    log: (line) => lines.push(line),
    serviceLog: () => undefined,
    probeIntervalMs: 60_000,
    onReady: () => events.push('ready'),
    openWindow: () => events.push('window'),
    windowCount: () => 0,
  });
  if (!started) throw new Error('the till did not start');
  return started;
}

async function syncStatus(t: TillApp): Promise<SyncStatusView> {
  const login = await t.service.call('session:login', { pin: CASHIER.pin }, null);
  if (!login.ok) throw new Error(login.error.reason);
  const status = await t.service.call('sync:status', {}, (login.value as { token: string }).token);
  if (!status.ok) throw new Error(status.error.reason);
  return status.value as SyncStatusView;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'haat-desktop-'));
  app = new FakeApp(dir);
  tillApp = null;
  lines.length = 0;
  events.length = 0;
});
afterEach(async () => {
  await tillApp?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the desktop till in Electron main', () => {
  it('keeps its data where npm run provision puts it: userData, or HAAT_TILL_DIR, or HAAT_TILL_DB', () => {
    expect(desktopTillDb(app, {})).toBe(join(dir, 'till.sqlite'));
    expect(desktopTillDb(app, { HAAT_TILL_DIR: '/srv/till' })).toBe('/srv/till/till.sqlite');
    expect(desktopTillDb(app, { HAAT_TILL_DB: '/tmp/x.sqlite', HAAT_TILL_DIR: '/srv/till' })).toBe('/tmp/x.sqlite');
  });

  it('says that a till head office has not provisioned does not sync, and still sells', async () => {
    tillApp = await start({ HAAT_DEMO: '1' });
    expect(events).toEqual(['ready', 'window']);
    expect(tillApp.syncOff).toMatch(/not provisioned.*npm run provision -- <bundle\.json> --data /);
    expect(lines).toContain(tillApp.syncOff);
    expect(await syncStatus(tillApp)).toMatchObject({ configured: false, online: null });
  });

  it('runs the sync timer of a provisioned till, feeds the header, and holds the quit until it has stopped', async () => {
    provisionTestTill(dir, await unreachableUrl());
    tillApp = await start({});
    expect(tillApp.syncOff).toBeNull();
    // The timer syncs at once on start; head office is out of reach, so the till says it is offline.
    await expect.poll(async () => (await syncStatus(tillApp!)).online, { timeout: 15_000 }).toBe(false);
    expect(await syncStatus(tillApp)).toMatchObject({
      configured: true,
      lastError: { kind: 'offline' },
      nextRunAt: expect.any(Number),
    });
    app.emit('activate');
    expect(events).toEqual(['ready', 'window', 'window']);
    app.emit('window-all-closed');
    expect(app.quitted).toBe(false);
    await expect.poll(() => app.quitted, { timeout: 15_000 }).toBe(true);
    // The database was closed before the app was let go.
    expect(tillApp.till.store.write.open).toBe(false);
  });

  it('started at login, syncs with no window, shows one when the app is opened, and keeps syncing when it is closed', async () => {
    tillApp = await start({ HAAT_DEMO: '1' }, true);
    expect(events).toEqual(['ready']);
    app.emit('second-instance');
    expect(events).toEqual(['ready', 'window']);
    app.emit('window-all-closed');
    expect(app.quitted).toBe(false);
    expect(tillApp.till.store.write.open).toBe(true);
  });

  it('a second copy of the app opens nothing and leaves the first one to show its window', async () => {
    app.firstCopy = false;
    const started = await runDesktopTill(app, {
      env: { HAAT_TILL_DIR: dir, HAAT_DEMO: '1' },
      log: (line) => lines.push(line),
      onReady: () => events.push('ready'),
      openWindow: () => events.push('window'),
      windowCount: () => 0,
    });
    expect(started).toBeNull();
    expect(events).toEqual([]);
    expect(app.quitted).toBe(true);
    expect(existsSync(join(dir, 'till.sqlite'))).toBe(false);
  });
});
