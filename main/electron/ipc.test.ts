import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../shared/pos-channels';
import type { PosApi } from '../../shared/pos-api';
import { taka } from '../../shared/money';
import { createPosService } from '../api/pos-service';
import { CASHIER, PRODUCTS, tempTill, type TempTill } from '../testing/fixtures';
import { type IpcEventLike, type IpcMainLike, registerPosIpc } from './ipc';
import { buildPosBridge, exposePosApi } from './preload-bridge';

/**
 * Electron's IPC without the Electron binary: objects shaped like ipcMain,
 * ipcRenderer and contextBridge carry calls between the real preload bridge
 * and the real handlers, on a real till database.
 */
const APP_URL = 'file:///opt/haat/resources/app/dist/renderer/index.html';

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>>();
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}

class FakeWebContents {
  private readonly destroyedListeners: (() => void)[] = [];
  constructor(readonly id: number) {}
  once(_event: 'destroyed', listener: () => void) {
    this.destroyedListeners.push(listener);
    return this;
  }
  destroy() {
    for (const l of this.destroyedListeners) l();
  }
}

/** A window's renderer: ipcRenderer.invoke reaches ipcMain's handler as Electron does, with a cloned argument. */
function rendererOf(ipcMain: FakeIpcMain, sender: FakeWebContents, url = APP_URL) {
  const ipcRenderer = {
    async invoke(channel: string, ...args: unknown[]) {
      const handler = ipcMain.handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      return handler({ sender, senderFrame: { url } }, ...structuredClone(args));
    },
  };
  const exposed: Record<string, unknown> = {};
  exposePosApi({ exposeInMainWorld: (key, api) => void (exposed[key] = api) }, ipcRenderer);
  return { pos: exposed.pos as PosApi, exposed };
}

let till: TempTill;
let ipcMain: FakeIpcMain;

beforeEach(() => {
  till = tempTill();
  ipcMain = new FakeIpcMain();
  registerPosIpc(ipcMain, createPosService(till, { log: () => undefined }), {
    isTrustedUrl: (url) => url.split('#')[0] === APP_URL,
  });
});
afterEach(() => till.cleanup());

describe('PosApi over Electron IPC', () => {
  it('registers exactly one handler per channel, and the preload exposes exactly those as window.pos', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...CHANNELS].sort());
    const { exposed, pos } = rendererOf(ipcMain, new FakeWebContents(1));
    expect(Object.keys(exposed)).toEqual(['pos']);
    expect(Object.keys(pos).sort()).toEqual([...CHANNELS].sort());
    expect(Object.values(pos).every((f) => typeof f === 'function')).toBe(true);
    expect(Object.isFrozen(pos)).toBe(true);
  });

  it('rings up a sale from the page through the preload to the store', async () => {
    const { pos } = rendererOf(ipcMain, new FakeWebContents(1));
    expect(await pos['sale:current']({})).toMatchObject({ ok: false, error: { code: 'not-signed-in' } });
    expect(await pos['session:login']({ pin: CASHIER.pin })).toMatchObject({
      ok: true,
      value: { staff: { name: CASHIER.name } },
    });
    expect(await pos['shift:open']({ openingFloat: taka(500) })).toMatchObject({ ok: true });
    expect(await pos['sale:scan']({ barcode: PRODUCTS.tea.barcodes[0]! })).toMatchObject({
      ok: true,
      value: { total: taka(260) },
    });
    const tendered = await pos['sale:tender']({ method: 'cash', amount: taka(300) });
    expect(tendered).toMatchObject({ ok: true, value: { change: taka(40) } });
    expect(await pos['sale:complete']({ saleId: tendered.ok ? tendered.value.saleId! : '' })).toMatchObject({
      ok: true,
      value: { receiptNo: 'DHK01-2-000001' },
    });
  });

  it('parses every input with the channel’s schema: the page is not trusted', async () => {
    const { pos } = rendererOf(ipcMain, new FakeWebContents(1));
    await pos['session:login']({ pin: CASHIER.pin });
    const raw = pos as unknown as Record<string, (input: unknown) => Promise<unknown>>;
    expect(await raw['sale:scan']!({ barcode: 42 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-field', field: 'barcode' },
    });
    expect(await raw['shift:open']!({ openingFloat: 100, cashierId: 'someone-else' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-field' },
    });
    expect(await raw['sale:search']!(undefined)).toMatchObject({
      ok: false,
      error: { code: 'invalid-field', field: 'query' },
    });
  });

  it('keeps each window’s session in main, ends it with the window, and answers only the app’s own page', async () => {
    const first = new FakeWebContents(1);
    const a = rendererOf(ipcMain, first).pos;
    const b = rendererOf(ipcMain, new FakeWebContents(2)).pos;
    await a['session:login']({ pin: CASHIER.pin });
    expect(await a['session:current']({})).toMatchObject({ ok: true, value: { name: CASHIER.name } });
    expect(await b['session:current']({})).toEqual({ ok: true, value: null });
    const stranger = rendererOf(ipcMain, first, 'https://example.com/').pos;
    expect(await stranger['session:current']({})).toMatchObject({ ok: false, error: { code: 'untrusted-sender' } });
    first.destroy();
    expect(await a['session:current']({})).toEqual({ ok: true, value: null });
  });

  it('builds the bridge from the channel list alone', async () => {
    const seen: [string, unknown][] = [];
    const bridge = buildPosBridge(async (channel, input) => {
      seen.push([channel, input]);
      return { ok: true, value: null };
    });
    await bridge['sync:setOffline']({ offline: true });
    expect(seen).toEqual([['sync:setOffline', { offline: true }]]);
  });
});
