/**
 * Why a sync run failed, in the kinds a shop can act on. Each kind has a
 * sentence for the staff member who ran the command, and says whether trying
 * again later can help.
 */
export type SyncFailureKind = 'offline' | 'auth' | 'throttled' | 'server' | 'config';

const ADVICE: Record<SyncFailureKind, string> = {
  offline: 'No connection to head office. Sales are safe on this till and will be sent when the internet is back.',
  auth: 'Head office refused this till’s credentials. Ask head office to check that this till is active.',
  throttled: 'The cloud is busy right now. Sales are safe on this till; sync will try again shortly.',
  server: 'Head office’s server had a problem. Sales are safe on this till; sync will try again later.',
  config: 'This till is not set up for sync. Install the provisioning file from head office.',
};

export class SyncFailure extends Error {
  constructor(
    readonly kind: SyncFailureKind,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${ADVICE[kind]} (${detail})`, options);
    this.name = 'SyncFailure';
  }

  get advice(): string {
    return ADVICE[this.kind];
  }

  /** Auth and config failures need a person; the others heal by waiting. */
  get retryable(): boolean {
    return this.kind === 'offline' || this.kind === 'throttled' || this.kind === 'server';
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'REQUEST_SEND_ERROR',
]);

function codeOf(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 5 && cur && typeof cur === 'object'; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Classifies an error from fetch or the Azure SDK. HTTP statuses decide when
 * there is one; otherwise a network error code anywhere in the cause chain
 * means the network, and a timeout or abort means the network too.
 */
export function classifyError(e: unknown): SyncFailure {
  if (e instanceof SyncFailure) return e;
  const message = e instanceof Error ? e.message : String(e);
  const status =
    (e as { statusCode?: unknown; status?: unknown } | null)?.statusCode ?? (e as { status?: unknown } | null)?.status;
  if (typeof status === 'number') {
    if (status === 401 || status === 403) return new SyncFailure('auth', `HTTP ${status}: ${message}`, { cause: e });
    if (status === 429 || status === 503)
      return new SyncFailure('throttled', `HTTP ${status}: ${message}`, { cause: e });
    if (status >= 500) return new SyncFailure('server', `HTTP ${status}: ${message}`, { cause: e });
    if (status === 404) return new SyncFailure('config', `HTTP 404: ${message}`, { cause: e });
  }
  const code = codeOf(e);
  if (code) return new SyncFailure('offline', code, { cause: e });
  const name = (e as { name?: string } | null)?.name;
  if (name === 'AbortError' || name === 'TimeoutError') return new SyncFailure('offline', 'timed out', { cause: e });
  if (e instanceof TypeError && /fetch failed/i.test(message)) return new SyncFailure('offline', message, { cause: e });
  return new SyncFailure('server', message, { cause: e });
}
