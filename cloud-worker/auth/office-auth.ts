import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../db/database';
import { bearerToken, hashToken, HttpError, newToken, unauthorized } from '../http';
import {
  checkPassword,
  findOfficeSession,
  loginRetryAfter,
  recordLoginFailure,
  clearAccountFailures,
  cleanUpSessions,
  startOfficeSession,
  type OfficeRole,
} from '../repositories/office-user-repository';

/**
 * Who may use head office's API, and how they prove it:
 * - the browser app holds an httpOnly, SameSite=Strict session cookie and
 *   echoes the session's CSRF token in `x-csrf-token` on every change; a
 *   change from another origin is refused by its Origin header as well;
 * - scripts send a bearer token (POST /v1/admin/login), which a browser never
 *   attaches by itself, so those requests need no CSRF token.
 * Logins are throttled per account and per client address.
 */
export const SESSION_COOKIE = 'haat_office';
export const CSRF_HEADER = 'x-csrf-token';
const COOKIE_SESSION_HOURS = 8;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface OfficeUser {
  readonly id: string;
  readonly email: string;
  readonly role: OfficeRole;
  readonly via: 'bearer' | 'cookie';
}

export interface OfficeAuth {
  /** The signed-in user, or a 401/403 that says why not. Checks CSRF on every change made with the cookie. */
  authorizeViewer(request: FastifyRequest): Promise<OfficeUser>;
  /** As `authorizeViewer`, and the user must be an admin. */
  authorizeAdmin(request: FastifyRequest): Promise<OfficeUser>;
  /** Checks the password under the login throttle; a 401 or 429 when refused. */
  login(
    request: FastifyRequest,
    email: string,
    password: string,
  ): Promise<{ userId: string; email: string; role: OfficeRole }>;
  /** Starts a browser session and sets its cookie; the CSRF token is returned for the page to keep. */
  startCookieSession(request: FastifyRequest, reply: FastifyReply, userId: string): Promise<{ csrfToken: string }>;
  endCookieSession(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function isHttps(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

function cookieHeader(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
  const parts = [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`];
  if (isHttps(request)) parts.push('Secure');
  return parts.join('; ');
}

/** A change must come from a page of this same server: its Origin, when the browser sends one, must be ours. */
function checkOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  const expected = `${request.protocol}://${request.headers.host ?? ''}`;
  if (origin !== expected) {
    throw new HttpError(403, {
      code: 'bad-origin',
      field: 'origin',
      reason: `changes are accepted only from ${expected}`,
    });
  }
}

export function officeAuth(db: Database): OfficeAuth {
  async function authorizeViewer(request: FastifyRequest): Promise<OfficeUser> {
    const token = bearerToken(request);
    if (token) {
      const session = await findOfficeSession(db, hashToken(token));
      if (!session) throw unauthorized('the bearer token is unknown or expired; log in again');
      return { id: session.userId, email: session.email, role: session.role, via: 'bearer' };
    }
    const cookie = readCookie(request, SESSION_COOKIE);
    const session = cookie ? await findOfficeSession(db, hashToken(cookie)) : undefined;
    if (!session || session.csrfToken === null) {
      throw unauthorized('sign in first: no session, or it has expired');
    }
    if (!SAFE_METHODS.has(request.method)) {
      checkOrigin(request);
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameText(sent, session.csrfToken)) {
        throw new HttpError(403, {
          code: 'csrf',
          field: CSRF_HEADER,
          reason: 'a change needs the session’s CSRF token in the x-csrf-token header',
        });
      }
    }
    return { id: session.userId, email: session.email, role: session.role, via: 'cookie' };
  }

  return {
    authorizeViewer,
    async authorizeAdmin(request) {
      const user = await authorizeViewer(request);
      if (user.role !== 'admin') {
        throw new HttpError(403, { code: 'forbidden', field: '(root)', reason: 'only an admin may change this' });
      }
      return user;
    },
    async login(request, email, password) {
      const keys = { account: email.toLowerCase(), address: request.ip };
      const wait = await loginRetryAfter(db, keys);
      if (wait) {
        throw new HttpError(
          429,
          {
            code: 'too-many-logins',
            field: wait.scope === 'account' ? 'body.email' : '(root)',
            reason: `too many failed logins for this ${wait.scope === 'account' ? 'account' : 'address'}; try again in ${wait.seconds} s`,
          },
          { 'retry-after': String(wait.seconds) },
        );
      }
      const user = await checkPassword(db, email, password);
      if (!user) {
        await recordLoginFailure(db, keys);
        throw unauthorized('wrong email or password');
      }
      await clearAccountFailures(db, keys.account);
      await cleanUpSessions(db);
      return { userId: user.id, email: user.email, role: user.role };
    },
    async startCookieSession(request, reply, userId) {
      const token = newToken();
      const csrfToken = newToken();
      await startOfficeSession(db, userId, hashToken(token), COOKIE_SESSION_HOURS, csrfToken);
      reply.header('set-cookie', cookieHeader(request, token, COOKIE_SESSION_HOURS * 3600));
      return { csrfToken };
    },
    async endCookieSession(request, reply) {
      const cookie = readCookie(request, SESSION_COOKIE);
      if (cookie) await db.query('DELETE FROM admin_sessions WHERE token_hash = $1', [hashToken(cookie)]);
      reply.header('set-cookie', cookieHeader(request, '', 0));
    },
  };
}
