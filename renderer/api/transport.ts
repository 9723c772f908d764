import type { PosApi } from '../../shared/pos-api';

export { apiFromInvoke, createHttpApi, type HttpApiOptions, type Invoke } from '../../shared/pos-client';

/** The preload's bridge, if this page runs in the Electron shell. */
export function ipcApi(): PosApi | null {
  const bridge = (globalThis as { pos?: PosApi }).pos;
  return bridge && typeof bridge['till:info'] === 'function' ? bridge : null;
}
