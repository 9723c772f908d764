import compress from '@fastify/compress';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Database } from './db/database';
import { HttpError, sendProblem } from './http';
import type { BranchSas } from './queue/branch-sas';
import { officeAuth, type OfficeAuth } from './auth/office-auth';
import { cleanUpSessions } from './repositories/office-user-repository';
import { applyDueChanges } from './repositories/product-repository';
import { enforceAccess, type RouteEntry } from './routes/access';
import { adminRoutes } from './routes/admin/index';
import { officeRoutes, type OfficeQueues } from './routes/office/index';
import { officeStatic, securityHeaders } from './routes/office/static';
import { pullRoutes } from './routes/pull/index';
import { reportRoutes } from './routes/reports/index';

export interface AppDeps {
  readonly db: Database;
  readonly sas: BranchSas;
  readonly log: Logger;
  /** The URL written into provisioning bundles for tills to pull from. */
  readonly publicApiUrl: string;
  /** The branches' queue and its poison queue: their depth for the health page, and where re-drives go. */
  readonly queues: OfficeQueues;
  /** The built head-office app (dist/office unless given). */
  readonly officeDir?: string;
  /** Behind a TLS-terminating proxy: take the client's address and scheme from X-Forwarded-*. */
  readonly trustProxy?: boolean;
  /** How often due price changes are applied and expired sessions removed; 0 turns it off (tests). */
  readonly housekeepingMs?: number;
}

export interface App extends FastifyInstance {
  /** Every route with who may call it, for the tests that prove none is left open. */
  readonly routeList: readonly RouteEntry[];
  /** The session check the reports routes are given. */
  readonly officeAuth: OfficeAuth;
}

/** The branch and head-office HTTP API. Responses are gzipped when the client accepts it. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    trustProxy: deps.trustProxy ?? false,
  });
  await app.register(compress, { global: true, threshold: 1024, encodings: ['gzip'] });

  // One error handler: the client's own mistakes are shown with their field,
  // anything else is logged with its context and shown only as its status.
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof HttpError) return sendProblem(reply.headers(error.headers), error.statusCode, error.problem);
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status < 500) {
      return sendProblem(reply, status, {
        code: (error as { code?: string }).code?.toLowerCase().replaceAll('_', '-') ?? 'bad-request',
        field: '(root)',
        reason: (error as Error).message,
      });
    }
    request.log.error({ err: error, url: request.url }, 'request failed');
    return sendProblem(reply, 500, { code: 'internal', field: '(root)', reason: 'internal error' });
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, 404, {
      code: 'not-found',
      field: '(root)',
      reason: `no route ${request.method} ${request.url}`,
    }),
  );

  const auth = officeAuth(deps.db);
  const routeList = enforceAccess(app, auth);
  securityHeaders(app);

  app.get('/health', { config: { access: 'public' } }, async () => ({ ok: true }));
  pullRoutes(app, deps);
  adminRoutes(app, { ...deps, auth });
  officeRoutes(app, { ...deps, auth });
  reportRoutes(app, {
    db: deps.db,
    authorize: async (request) => {
      await auth.authorizeViewer(request);
    },
  });
  officeStatic(app, deps.officeDir);

  const every = deps.housekeepingMs ?? 30_000;
  if (every > 0) {
    const timer = setInterval(() => {
      Promise.all([applyDueChanges(deps.db), cleanUpSessions(deps.db)]).catch((err: unknown) =>
        app.log.error({ err }, 'housekeeping failed'),
      );
    }, every);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }
  const extra: Pick<App, 'routeList' | 'officeAuth'> = { routeList, officeAuth: auth };
  return Object.assign(app, extra) as App;
}
