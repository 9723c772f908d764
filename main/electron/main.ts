/**
 * The Electron main process of a till: opens the till database and, when
 * the till is provisioned, its sync timer; registers PosApi on IPC and shows
 * the cashier's window. Built by scripts/build-app.ts and started by
 * `npm run app`. What it does lives in desktop-till.ts, tested in Node.
 */
import { app, BrowserWindow, ipcMain, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { homedir } from 'node:os';
import { runDesktopTill } from './desktop-till';
import { registerPosIpc } from './ipc';
import { BACKGROUND_FLAG, startAtLogin } from './login-item';
import { createTillWindow } from './window';

app.enableSandbox();

const indexHtml = join(__dirname, '..', 'renderer', 'index.html');
const indexUrl = pathToFileURL(indexHtml).href;
const openWindow = () =>
  createTillWindow({
    createWindow: (options) => new BrowserWindow(options),
    openExternal: (url) => shell.openExternal(url),
    preloadPath: join(__dirname, 'preload.cjs'),
    indexHtml,
    indexUrl,
  });

runDesktopTill(app, {
  env: process.env,
  background: process.argv.includes(BACKGROUND_FLAG),
  onReady(service) {
    registerPosIpc(ipcMain, service, { isTrustedUrl: (url) => url.split('#')[0] === indexUrl });
    // An installed till starts at login, so its sync runs even when nobody opens it.
    if (app.isPackaged) {
      startAtLogin(app, { platform: process.platform, execPath: process.execPath, home: homedir(), env: process.env });
    }
  },
  openWindow,
  windowCount: () => BrowserWindow.getAllWindows().length,
}).catch((e) => {
  console.error(e);
  app.exit(1);
});
