import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { OfficeAuth, OfficeUser } from '../auth/office-auth';

/**
 * Who may call a route, declared on the route itself and checked in one
 * place before any handler runs:
 * - `public`: anyone (health, login, the app's static files, the tills' pull
 *   API, which checks its own till tokens);
 * - `viewer`: any signed-in head-office user;
 * - `admin`: a signed-in admin.
 * A route that declares nothing is `viewer` when it only reads (GET/HEAD) and
 * `admin` otherwise, so a new route is closed by default and a viewer can
 * never change anything.
 */
export type Access = 'public' | 'viewer' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    officeUser?: OfficeUser;
  }
}

export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  readonly access: Access;
}

export function accessOf(method: string, configured: Access | undefined): Access {
  return configured ?? (method === 'GET' || method === 'HEAD' ? 'viewer' : 'admin');
}

/** Installs the check, and returns the list of every route registered after it, with its access. */
export function enforceAccess(app: FastifyInstance, auth: OfficeAuth): RouteEntry[] {
  const routes: RouteEntry[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      routes.push({ method, url: route.url, access: accessOf(method, route.config?.access) });
    }
  });
  app.addHook('onRequest', async (request) => {
    // Unmatched URLs reach the not-found handler, which reveals nothing.
    if (request.is404) return;
    const access = accessOf(request.method, request.routeOptions.config.access);
    if (access === 'public') return;
    request.officeUser = access === 'admin' ? await auth.authorizeAdmin(request) : await auth.authorizeViewer(request);
  });
  return routes;
}

/** The user the access check let through; a route that is not public always has one. */
export function userOf(request: FastifyRequest): OfficeUser {
  const user = request.officeUser;
  if (!user) throw new Error(`no signed-in user on ${request.method} ${request.url}: is the route public?`);
  return user;
}
