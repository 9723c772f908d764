/* eslint-disable @typescript-eslint/no-require-imports -- loaded with `node --require`, before any ESM loader, so it is CommonJS */
/**
 * Stands in for the `electron` module when the built main process is loaded
 * in plain Node (the Electron binary cannot be had on every machine). It
 * records what the main process asks of Electron, calls one PosApi channel
 * the way the window's preload would, writes a report to
 * FAKE_ELECTRON_REPORT, then closes the window as a cashier would.
 */
const Module = require('node:module');
const { writeFileSync } = require('node:fs');
const { EventEmitter } = require('node:events');

const report = { sandbox: false, channels: [], windows: [], loaded: [], loginItem: null, calls: {} };
const handlers = new Map();
const app = new EventEmitter();
let ready;
const whenReady = new Promise((resolve) => (ready = resolve));
Object.assign(app, {
  enableSandbox: () => (report.sandbox = true),
  whenReady: () => whenReady,
  isReady: () => true,
  getPath: (name) => {
    if (name !== 'userData') throw new Error(`fake electron: getPath(${name})`);
    return process.env.FAKE_ELECTRON_USER_DATA;
  },
  getName: () => 'Haat',
  setName: () => undefined,
  getVersion: () => '0.0.0-test',
  setLoginItemSettings: (settings) => (report.loginItem = settings),
  getLoginItemSettings: () => report.loginItem ?? { openAtLogin: false },
  requestSingleInstanceLock: () => true,
  quit: () => finish(0),
  exit: (code) => finish(code ?? 0),
});

class BrowserWindow extends EventEmitter {
  static windows = [];
  static getAllWindows() {
    return BrowserWindow.windows;
  }
  constructor(options) {
    super();
    report.windows.push(options);
    BrowserWindow.windows.push(this);
    const contents = new EventEmitter();
    contents.id = BrowserWindow.windows.length;
    contents.setWindowOpenHandler = () => undefined;
    contents.session = { setPermissionRequestHandler: () => undefined };
    this.webContents = contents;
  }
  async loadFile(path) {
    report.loaded.push(path);
    setImmediate(() => void afterLoad(this, path));
  }
  show() {}
  close() {
    BrowserWindow.windows = BrowserWindow.windows.filter((w) => w !== this);
    this.webContents.emit('destroyed');
    if (BrowserWindow.windows.length === 0) app.emit('window-all-closed');
  }
}

async function afterLoad(win, path) {
  const url = require('node:url').pathToFileURL(path).href;
  const call = (channel, input, senderUrl) =>
    handlers.get(channel)({ sender: win.webContents, senderFrame: { url: senderUrl } }, input);
  report.calls.info = await call('till:info', {}, url);
  report.calls.untrusted = await call('till:info', {}, 'https://example.com/');
  report.calls.login = await call('session:login', { pin: '1234' }, url);
  writeFileSync(process.env.FAKE_ELECTRON_REPORT, JSON.stringify(report));
  win.close();
}

function finish(code) {
  if (!report.written) writeFileSync(process.env.FAKE_ELECTRON_REPORT, JSON.stringify(report));
  process.exit(code);
}

const electron = {
  app,
  BrowserWindow,
  ipcMain: {
    handle: (channel, listener) => {
      report.channels.push(channel);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => handlers.delete(channel),
  },
  shell: { openExternal: async () => undefined },
  Menu: { setApplicationMenu: () => undefined, buildFromTemplate: () => ({}) },
  Tray: class {},
  nativeImage: { createEmpty: () => ({}) },
  powerMonitor: new EventEmitter(),
  net: { isOnline: () => true },
};

const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'electron') return electron;
  return load.call(this, request, parent, isMain);
};
setImmediate(() => ready());
