import { CHANNELS, type Channel } from '../../shared/pos-api';
import { fail, type Result } from '../../shared/result';
import type { PosService } from '../api/pos-service';

/** The parts of Electron's IPC the till uses, so Node tests can pass objects of the same shape. */
export interface IpcEventLike {
  readonly sender: { readonly id: number; once(event: 'destroyed', listener: () => void): unknown };
  readonly senderFrame: { readonly url: string } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface PosIpcOptions {
  /** Only pages of the app itself may call the till (not a page navigated to by mistake). */
  readonly isTrustedUrl: (url: string) => boolean;
}

/**
 * One `ipcMain.handle` per PosApi channel, each going through the same
 * service as HTTP: input parsed with the channel's zod schema, session
 * checked, `{ ok, value | error }` back. The renderer is untrusted, so a
 * window's session is kept here by its webContents, never taken from it.
 */
export function registerPosIpc(ipcMain: IpcMainLike, service: PosService, options: PosIpcOptions): () => void {
  const tokens = new Map<number, string>();
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (event, input): Promise<Result<unknown>> => {
      const url = event.senderFrame?.url ?? '';
      if (!options.isTrustedUrl(url)) return fail('untrusted-sender', 'sender', 'This page may not use the till.');
      const id = event.sender.id;
      const result = await service.call(channel, input, tokens.get(id) ?? null);
      track(channel, id, event, result);
      return result;
    });
  }

  function track(channel: Channel, id: number, event: IpcEventLike, result: Result<unknown>): void {
    if (channel === 'session:login' && result.ok) {
      const previous = tokens.get(id);
      service.sessions.drop(previous);
      if (previous === undefined) event.sender.once('destroyed', () => service.sessions.drop(tokens.get(id)));
      tokens.set(id, (result.value as { token: string }).token);
    } else if (channel === 'session:logout' || (!result.ok && result.error.code === 'not-signed-in')) {
      tokens.delete(id);
    }
  }

  return () => {
    for (const channel of CHANNELS) ipcMain.removeHandler(channel);
  };
}
