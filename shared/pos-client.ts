import type { Channel, ChannelInput, PosApi, PosResult } from './pos-api';
import { CHANNELS } from './pos-channels';

/** Where the HTTP transport keeps its session token: the page's localStorage, or nothing. */
export interface SessionStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * How the screens reach the till. Both transports give the same PosApi:
 * IPC through the preload's `window.pos` in Electron, HTTP to the till host
 * in a browser.
 */
export type Invoke = <C extends Channel>(channel: C, input: ChannelInput<C>) => Promise<PosResult<C>>;

export function apiFromInvoke(invoke: Invoke): PosApi {
  return Object.fromEntries(CHANNELS.map((c) => [c, (input: never) => invoke(c, input)])) as unknown as PosApi;
}

const TOKEN_KEY = 'haat.session';

/** The part of fetch this transport uses; the browser's and Node's fetch both fit. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string },
) => Promise<{ json(): Promise<unknown> }>;

export interface HttpApiOptions {
  /** Where the till host is; '' for the page's own origin. */
  readonly baseUrl?: string;
  readonly fetch?: FetchLike;
  /** Keeps the session across a reload of the page. */
  readonly storage?: SessionStorage | null;
}

/** PosApi over HTTP: POST /api/<channel>, the session token as a bearer token. */
export function createHttpApi(options: HttpApiOptions = {}): PosApi {
  const base = options.baseUrl ?? '';
  const doFetch: FetchLike =
    options.fetch ?? ((url, init) => (globalThis as unknown as { fetch: FetchLike }).fetch(url, init));
  const storage = options.storage ?? null;
  let token: string | null = storage?.getItem(TOKEN_KEY) ?? null;

  const invoke: Invoke = async (channel, input) => {
    let result: PosResult<typeof channel>;
    try {
      const res = await doFetch(`${base}/api/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(input ?? {}),
      });
      result = (await res.json()) as PosResult<typeof channel>;
    } catch {
      return {
        ok: false,
        error: { code: 'till-unreachable', field: '', reason: 'The till is not answering. Check that it is running.' },
      };
    }
    if (channel === 'session:login' && result.ok) {
      token = (result.value as { token: string }).token;
      storage?.setItem(TOKEN_KEY, token);
    }
    if ((channel === 'session:logout' && result.ok) || (!result.ok && result.error.code === 'not-signed-in')) {
      token = null;
      storage?.removeItem(TOKEN_KEY);
    }
    return result;
  };
  return apiFromInvoke(invoke);
}
