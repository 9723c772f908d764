import { describe, expect, it } from 'vitest';
import { createHttpApi } from './transport';

function store() {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
    m,
  };
}

describe('PosApi over HTTP', () => {
  it('posts JSON to /api/<channel>, and sends the session from sign-in as a bearer token until it ends', async () => {
    const sent: { url: string; auth: string | undefined; body: string }[] = [];
    let answer: unknown = { ok: true, value: { token: 'abc', staff: {} } };
    const fetch = (async (url: string, init: RequestInit) => {
      const headers = init.headers as Record<string, string>;
      sent.push({ url, auth: headers.authorization, body: String(init.body) });
      return { json: async () => answer } as Response;
    }) as unknown as typeof globalThis.fetch;
    const s = store();
    const api = createHttpApi({ baseUrl: 'http://till', fetch, storage: s });
    await api['session:login']({ pin: '1234' });
    answer = { ok: true, value: [] };
    await api['sale:search']({ query: 'ডাল' });
    expect(sent[1]).toEqual({ url: 'http://till/api/sale:search', auth: 'Bearer abc', body: '{"query":"ডাল"}' });
    expect(s.m.get('haat.session')).toBe('abc');
    // A reloaded page carries on with the stored session.
    const again = createHttpApi({ baseUrl: 'http://till', fetch, storage: s });
    await again['sale:current']({});
    expect(sent[2]!.auth).toBe('Bearer abc');
    answer = { ok: false, error: { code: 'not-signed-in', field: 'session', reason: 'x' } };
    await again['sale:current']({});
    await again['sale:current']({});
    expect(sent[4]!.auth).toBeUndefined();
    expect(s.m.has('haat.session')).toBe(false);
  });

  it('says in words when the till does not answer', async () => {
    const fetch = (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof globalThis.fetch;
    expect(await createHttpApi({ fetch })['till:info']({})).toEqual({
      ok: false,
      error: { code: 'till-unreachable', field: '', reason: 'The till is not answering. Check that it is running.' },
    });
  });
});
