import type { BrowserWindowConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { createTillWindow, type WindowLike } from './window';

class FakeWindow implements WindowLike {
  openHandler: ((d: { url: string }) => { action: 'deny' }) | null = null;
  navigate: ((e: { preventDefault(): void }, url: string) => void) | null = null;
  permission: ((wc: unknown, p: string, cb: (granted: boolean) => void) => void) | null = null;
  loaded: string | null = null;
  readonly webContents = {
    setWindowOpenHandler: (h: (d: { url: string }) => { action: 'deny' }) => void (this.openHandler = h),
    on: (_e: 'will-navigate', l: (e: { preventDefault(): void }, url: string) => void) => (this.navigate = l),
    session: {
      setPermissionRequestHandler: (h: (wc: unknown, p: string, cb: (g: boolean) => void) => void) =>
        void (this.permission = h),
    },
  };
  constructor(readonly options: BrowserWindowConstructorOptions) {}
  async loadFile(path: string) {
    this.loaded = path;
  }
  once() {
    return this;
  }
  show() {}
}

describe('the till window', () => {
  const opened: string[] = [];
  const win = createTillWindow({
    createWindow: (options) => new FakeWindow(options),
    openExternal: async (url) => void opened.push(url),
    preloadPath: '/app/dist/electron/preload.cjs',
    indexHtml: '/app/dist/renderer/index.html',
    indexUrl: 'file:///app/dist/renderer/index.html',
  });

  it('runs the page sandboxed, isolated and without Node, with only our preload', () => {
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      preload: '/app/dist/electron/preload.cjs',
    });
    expect(win.loaded).toBe('/app/dist/renderer/index.html');
  });

  it('denies new windows, opening web links in the system browser instead', () => {
    expect(win.openHandler!({ url: 'https://example.com/help' })).toEqual({ action: 'deny' });
    expect(win.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.com/help']);
  });

  it('stays on the app’s page and grants no permissions', () => {
    let prevented = 0;
    const event = { preventDefault: () => void (prevented += 1) };
    win.navigate!(event, 'file:///app/dist/renderer/index.html#/sale');
    expect(prevented).toBe(0);
    win.navigate!(event, 'https://evil.example/');
    expect(prevented).toBe(1);
    let granted: boolean | null = null;
    win.permission!(null, 'media', (g) => void (granted = g));
    expect(granted).toBe(false);
  });
});
