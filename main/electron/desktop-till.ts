import type { PosService } from '../api/pos-service';
import { tillPaths } from '../sync/provision';
import { openTillApp, type TillApp, type TillAppOptions } from '../host/till-app';

/** The parts of Electron's `app` the till's life needs, so Node tests can pass an object of the same shape. */
export interface AppLike {
  whenReady(): Promise<unknown>;
  /** False in a second copy of the app: the first one shows its window instead. */
  requestSingleInstanceLock(): boolean;
  on(event: 'activate' | 'window-all-closed' | 'second-instance', listener: () => void): unknown;
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
  getPath(name: 'userData'): string;
}

export interface DesktopTillOptions extends Omit<TillAppOptions, 'db'> {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Registers the PosApi on IPC. */
  readonly onReady: (service: PosService) => void;
  readonly openWindow: () => void;
  readonly windowCount: () => number;
  /**
   * Started at login (BACKGROUND_FLAG): sync runs with no window, and closing
   * the window later leaves the timer running, until the app is quit.
   */
  readonly background?: boolean;
}

/**
 * Where the desktop till keeps its data: HAAT_TILL_DB names a database,
 * else the data folder is HAAT_TILL_DIR or Electron's userData, so that
 * `npm run provision -- bundle.json --data <that folder>` sets up the till
 * the app then syncs.
 */
export function desktopTillDb(app: Pick<AppLike, 'getPath'>, env: DesktopTillOptions['env']): string {
  return env.HAAT_TILL_DB ?? tillPaths(env.HAAT_TILL_DIR ?? app.getPath('userData')).db;
}

/**
 * The desktop till's life, kept out of main.ts so that it runs in Node
 * tests: when Electron is ready, open the till and its sync timer and show
 * the window (not when started in the background at login); when the app
 * quits, hold the quit until the timer has stopped (after the sync in
 * progress) and the database is closed.
 */
export async function runDesktopTill(app: AppLike, options: DesktopTillOptions): Promise<TillApp | null> {
  const { env, onReady, openWindow, windowCount, background = false, ...rest } = options;
  // One till app per database: a second start only brings the first one's window up.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  await app.whenReady();
  const tillApp = openTillApp({ ...rest, db: desktopTillDb(app, env), demo: env.HAAT_DEMO === '1' });
  onReady(tillApp.service);
  if (!background) openWindow();
  const show = () => {
    if (windowCount() === 0) openWindow();
  };
  app.on('activate', show);
  app.on('second-instance', show);
  app.on('window-all-closed', () => {
    if (!background) app.quit();
  });
  let closed = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    void tillApp.close().finally(() => {
      closed = true;
      app.quit();
    });
  });
  return tillApp;
}
