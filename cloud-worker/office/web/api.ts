import type { Problem } from '../../../shared/result';

/**
 * How head office's pages talk to the API: same-origin fetch with the
 * session cookie, and the session's CSRF token on every change. A refusal
 * becomes an `ApiError` carrying the server's problem (code, field, reason).
 */
export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
    readonly retryAfter: number | null = null,
    /** The whole answer, for refusals that carry more (an import's preview). */
    readonly body: unknown = null,
  ) {
    super(problem.reason);
  }
}

export interface OfficeUser {
  readonly id: string;
  readonly email: string;
  readonly role: 'admin' | 'viewer';
}

export interface OfficeClient {
  get<T>(path: string): Promise<T>;
  send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
  login(email: string, password: string): Promise<OfficeUser>;
  /** Who is signed in, or null; picks up the CSRF token of a session that survived a reload. */
  me(): Promise<OfficeUser | null>;
  logout(): Promise<void>;
}

export function createClient(fetchFn: Fetch = (input, init) => fetch(input, init)): OfficeClient {
  let csrf: string | null = null;

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
    let res: Response;
    try {
      res = await fetchFn(path, {
        method,
        headers,
        credentials: 'same-origin',
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      throw new ApiError(0, { code: 'network', field: '(root)', reason: 'the server cannot be reached' });
    }
    const text = await res.text();
    const json: unknown = text ? JSON.parse(text) : null;
    if (!res.ok) {
      const problem = (json as { error?: Problem } | null)?.error ?? {
        code: 'http',
        field: '(root)',
        reason: `${res.status} ${res.statusText}`,
      };
      const retry = res.headers.get('retry-after');
      throw new ApiError(res.status, problem, retry ? Number(retry) : null, json);
    }
    return json as T;
  }

  return {
    get: (path) => call('GET', path),
    send: (method, path, body) => call(method, path, body ?? {}),
    async login(email, password) {
      const res = await call<{ user: OfficeUser; csrfToken: string }>('POST', '/v1/office/login', { email, password });
      csrf = res.csrfToken;
      return res.user;
    },
    async me() {
      try {
        const res = await call<{ user: OfficeUser; csrfToken: string | null }>('GET', '/v1/office/me');
        csrf = res.csrfToken;
        return res.user;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    async logout() {
      await call('POST', '/v1/office/logout', {});
      csrf = null;
    },
  };
}
