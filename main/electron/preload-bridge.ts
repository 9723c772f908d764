import type { Channel, ChannelInput, PosApi, PosResult } from '../../shared/pos-api';
import { CHANNELS } from '../../shared/pos-channels';

/**
 * What the preload gives the page: one function per PosApi channel and
 * nothing else (no ipcRenderer, no event objects). It imports only shared/,
 * so the sandboxed preload bundle stays small and cannot reach Node.
 */
export type IpcInvoke = (channel: Channel, input: unknown) => Promise<unknown>;

export function buildPosBridge(invoke: IpcInvoke): PosApi {
  const bridge = {} as Record<Channel, (input: unknown) => Promise<unknown>>;
  for (const channel of CHANNELS) bridge[channel] = (input: unknown) => invoke(channel, input);
  return Object.freeze(bridge) as {
    readonly [C in Channel]: (input: ChannelInput<C>) => Promise<PosResult<C>>;
  } satisfies PosApi;
}

export interface ContextBridgeLike {
  exposeInMainWorld(apiKey: string, api: unknown): void;
}

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
}

/** Exposes the bridge as `window.pos`, the name the renderer's IPC transport looks for. */
export function exposePosApi(contextBridge: ContextBridgeLike, ipcRenderer: IpcRendererLike): void {
  contextBridge.exposeInMainWorld(
    'pos',
    buildPosBridge((channel, input) => ipcRenderer.invoke(channel, input)),
  );
}
