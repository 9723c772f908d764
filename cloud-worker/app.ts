import compress from '@fastify/compress';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Database } from './db/database';
import { HttpError, sendProblem } from './http';
import type { BranchSas } from './queue/branch-sas';
import { adminRoutes } from './routes/admin/index';
import { pullRoutes } from './routes/pull/index';

export interface AppDeps {
  readonly db: Database;
  readonly sas: BranchSas;
  readonly log: Logger;
  /** The URL written into provisioning bundles for tills to pull from. */
  readonly publicApiUrl: string;
}

/** The branch and head-office HTTP API. Responses are gzipped when the client accepts it. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: deps.log as FastifyBaseLogger, bodyLimit: 1024 * 1024 });
  await app.register(compress, { global: true, threshold: 1024, encodings: ['gzip'] });

  // One error handler: the client's own mistakes are shown with their field,
  // anything else is logged with its context and shown only as its status.
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof HttpError) return sendProblem(reply, error.statusCode, error.problem);
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

  app.get('/health', async () => ({ ok: true }));
  pullRoutes(app, deps);
  adminRoutes(app, deps);
  return app;
}
