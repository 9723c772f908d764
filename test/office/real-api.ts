import type { App } from '../../cloud-worker/app';
import type { Fetch } from '../../cloud-worker/office/web/api';

/**
 * The page's fetch, answered by the real API in this process (`inject`), with
 * a cookie jar and the Origin a browser sends: the screens under test talk to
 * the real routes, sessions and database, with no server port in between.
 */
export function realApiFetch(app: App): Fetch & { cookies: Map<string, string> } {
  const cookies = new Map<string, string>();
  const fetchFn = async (input: string, init: RequestInit = {}) => {
    const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
    if (cookies.size > 0) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const method = (init.method ?? 'GET') as 'GET';
    if (method !== 'GET') headers.origin = 'http://localhost:80';
    const res = await app.inject({
      method,
      url: input,
      headers,
      ...(typeof init.body === 'string' ? { payload: init.body } : {}),
    });
    const setCookie = res.headers['set-cookie'];
    for (const c of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const value = pair!.slice(eq + 1);
      if (/Max-Age=0/.test(c) || value === '') cookies.delete(pair!.slice(0, eq));
      else cookies.set(pair!.slice(0, eq), value);
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') out[k] = v;
    return new Response(res.statusCode === 204 ? null : res.body, { status: res.statusCode, headers: out });
  };
  return Object.assign(fetchFn, { cookies });
}
