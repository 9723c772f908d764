/**
 * The Electron main process of a till: opens the till database, registers
 * PosApi on IPC and shows the cashier's window. Built by scripts/build-app.ts
 * and started by `npm run app`.
 */
import { app, BrowserWindow, ipcMain, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createPosService } from '../api/pos-service';
import { openTillFile } from '../host/till-file';
import { registerPosIpc } from './ipc';
import { createTillWindow } from './window';

app.enableSandbox();

async function main(): Promise<void> {
  await app.whenReady();
  const till = openTillFile(process.env.HAAT_TILL_DB ?? join(app.getPath('userData'), 'till.sqlite'), {
    demo: process.env.HAAT_DEMO === '1',
  });
  const service = createPosService(till);
  const indexHtml = join(__dirname, '..', 'renderer', 'index.html');
  const indexUrl = pathToFileURL(indexHtml).href;
  registerPosIpc(ipcMain, service, { isTrustedUrl: (url) => url.split('#')[0] === indexUrl });
  const open = () =>
    createTillWindow({
      createWindow: (options) => new BrowserWindow(options),
      openExternal: (url) => shell.openExternal(url),
      preloadPath: join(__dirname, 'preload.cjs'),
      indexHtml,
      indexUrl,
    });
  open();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open();
  });
  app.on('window-all-closed', () => {
    till.store.close();
    app.quit();
  });
}

main().catch((e) => {
  console.error(e);
  app.exit(1);
});
