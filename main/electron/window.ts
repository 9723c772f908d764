import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The till's window, as Signal Desktop shapes its windows: the page runs
 * sandboxed with context isolation and no Node, new windows are refused
 * (links open in the system browser), navigation away from the app is
 * refused, and the page may ask for no permissions.
 */
export const TILL_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
} as const satisfies BrowserWindowConstructorOptions['webPreferences'];

export interface WindowLike {
  readonly webContents: {
    setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
    on(event: 'will-navigate', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
    readonly session: {
      setPermissionRequestHandler(
        handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void,
      ): void;
    };
  };
  loadFile(path: string): Promise<void>;
  once(event: 'ready-to-show', listener: () => void): unknown;
  show(): void;
}

export interface TillWindowDeps<W extends WindowLike> {
  readonly createWindow: (options: BrowserWindowConstructorOptions) => W;
  readonly openExternal: (url: string) => Promise<void>;
  readonly preloadPath: string;
  readonly indexHtml: string;
  /** file:// URL of indexHtml, to tell the app's own page from anything else. */
  readonly indexUrl: string;
}

export function createTillWindow<W extends WindowLike>(deps: TillWindowDeps<W>): W {
  const win = deps.createWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    backgroundColor: '#f3f5f7',
    title: 'Haat',
    webPreferences: { ...TILL_WEB_PREFERENCES, preload: deps.preloadPath },
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void deps.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (url.split('#')[0] !== deps.indexUrl) event.preventDefault();
  });
  win.webContents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  win.once('ready-to-show', () => win.show());
  void win.loadFile(deps.indexHtml);
  return win;
}
