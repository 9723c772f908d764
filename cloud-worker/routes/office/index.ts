import type { QueueClient } from '@azure/storage-queue';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { epochMs, nonNegativePoisha, uuid, vatRate } from '../../../shared/wire/common';
import type { OfficeAuth } from '../../auth/office-auth';
import type { Database } from '../../db/database';
import { HttpError, parseInput } from '../../http';
import {
  branchHealth,
  claimRedrive,
  HEALTH_RULE,
  listRejected,
  queueHealth,
  WORKER_ALIVE_SECONDS,
} from '../../repositories/health-repository';
import {
  createOfficeUser,
  findOfficeSession,
  listOfficeUsers,
  OFFICE_ROLES,
  updateOfficeUser,
} from '../../repositories/office-user-repository';
import {
  cancelScheduledChange,
  changePrice,
  commitCatalogImport,
  listProducts,
  previewCatalogImport,
} from '../../repositories/product-repository';
import { customerDetail, searchCustomers } from '../../repositories/customer-repository';
import { normalizeBdMobile } from '../../../shared/phone';
import { readCookie, SESSION_COOKIE } from '../../auth/office-auth';
import { hashToken } from '../../http';
import { userOf } from '../access';
import { DEFAULT_BRANCH_SETTINGS } from '../../../shared/settings';

export interface OfficeQueues {
  readonly main: QueueClient;
  readonly poison: QueueClient;
}

const loginBody = z.object({ email: z.email().max(200), password: z.string().min(1).max(200) });
const productsQuery = z.object({
  q: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
const idParams = z.object({ id: uuid });
const priceChangeBody = z
  .object({
    price: nonNegativePoisha.optional(),
    vatRate: vatRate.optional(),
    vatMode: z.enum(['inclusive', 'exclusive']).optional(),
    /** When it takes effect, Unix ms; now when left out. */
    effectiveAt: epochMs.optional(),
  })
  .refine((b) => b.price !== undefined || b.vatRate !== undefined || b.vatMode !== undefined, {
    message: 'give a price, a VAT rate or a VAT mode to change',
    path: ['price'],
  });
// Within the API's 1 MiB body limit (Bangla takes three bytes a letter); 5,000 rows fit easily.
const csvBody = z.object({
  csv: z
    .string()
    .min(1, 'the file is empty')
    .max(300_000, 'must be at most 300,000 characters; split the catalog into several files'),
});
const messageParams = z.object({ messageId: z.string().min(1).max(200) });
const userBody = z.object({
  email: z.email().max(200),
  password: z.string().min(12, 'must be at least 12 characters').max(200),
  role: z.enum(OFFICE_ROLES),
});
const customersQuery = z.object({ q: z.string().max(30).default('') });
const phoneParams = z.object({ phone: z.string().min(1).max(30) });
const userPatch = z.object({ role: z.enum(OFFICE_ROLES).optional(), active: z.boolean().optional() });

/**
 * What head office's web app reads and changes beyond the admin API: its
 * sign-in, the lists behind its pages, timed price changes, catalog import,
 * sync health and re-driving rejected messages. Access is declared per route
 * (routes/access.ts): reads need a session, changes an admin.
 */
export function officeRoutes(app: FastifyInstance, deps: { db: Database; auth: OfficeAuth; queues: OfficeQueues }) {
  const { db, auth } = deps;

  app.post('/v1/office/login', { config: { access: 'public' } }, async (request, reply) => {
    const body = parseInput(loginBody, request.body, 'body');
    const user = await auth.login(request, body.email, body.password);
    const { csrfToken } = await auth.startCookieSession(request, reply, user.userId);
    return { user: { id: user.userId, email: user.email, role: user.role }, csrfToken };
  });

  app.post('/v1/office/logout', { config: { access: 'viewer' } }, async (request, reply) => {
    await auth.endCookieSession(request, reply);
    return { signedOut: true };
  });

  // The page asks who is signed in when it loads; the CSRF token comes with
  // the answer, which only a page of this origin can read.
  app.get('/v1/office/me', async (request) => {
    const user = userOf(request);
    const cookie = readCookie(request, SESSION_COOKIE);
    const session = cookie ? await findOfficeSession(db, hashToken(cookie)) : undefined;
    return { user: { id: user.id, email: user.email, role: user.role }, csrfToken: session?.csrfToken ?? null };
  });

  app.get('/v1/office/branches', async () => {
    const branches = await db.query<{ code: string; nameEn: string; nameBn: string; settings: unknown }>(
      'SELECT code, name_en AS "nameEn", name_bn AS "nameBn", settings FROM branches ORDER BY code',
    );
    const tills = await db.query<{ branch: string; till: number; createdAt: Date; revokedAt: Date | null }>(
      `SELECT branch, till_no AS till, created_at AS "createdAt", revoked_at AS "revokedAt"
         FROM tills ORDER BY branch, till_no`,
    );
    const staff = await db.query<{
      id: string;
      branch: string;
      code: string;
      name: string;
      role: string;
      active: boolean;
    }>('SELECT id, branch, code, name, role, active FROM cashiers ORDER BY branch, code');
    return {
      branches: branches.map((b) => ({
        ...b,
        tills: tills
          .filter((t) => t.branch === b.code)
          .map((t) => ({
            till: t.till,
            createdAt: new Date(t.createdAt).getTime(),
            revokedAt: t.revokedAt ? new Date(t.revokedAt).getTime() : null,
          })),
        staff: staff.filter((s) => s.branch === b.code).map(({ branch: _b, ...s }) => s),
      })),
    };
  });

  app.get('/v1/office/products', async (request) => {
    const query = parseInput(productsQuery, request.query, 'query');
    return listProducts(db, query);
  });

  app.post('/v1/admin/products/:id/price-changes', async (request, reply) => {
    const { id } = parseInput(idParams, request.params, 'params');
    const body = parseInput(priceChangeBody, request.body, 'body');
    const done = await changePrice(db, {
      ...body,
      productId: id,
      effectiveAt: body.effectiveAt ?? Date.now(),
      by: userOf(request).id,
    });
    if (!done) throw new HttpError(404, { code: 'not-found', field: 'params.id', reason: `no product ${id}` });
    return reply.status(done.applied ? 200 : 202).send(done);
  });

  app.delete('/v1/admin/price-changes/:id', async (request) => {
    const { id } = parseInput(idParams, request.params, 'params');
    if (!(await cancelScheduledChange(db, id))) {
      throw new HttpError(404, { code: 'not-found', field: 'params.id', reason: `no pending price change ${id}` });
    }
    return { id, cancelled: true };
  });

  app.post('/v1/admin/products/import/preview', async (request) => {
    const { csv } = parseInput(csvBody, request.body, 'body');
    return previewCatalogImport(db, csv);
  });

  app.post('/v1/admin/products/import', async (request, reply) => {
    const { csv } = parseInput(csvBody, request.body, 'body');
    const result = await commitCatalogImport(db, csv);
    if (!result.ok) {
      const first = result.preview.errors[0]!;
      return reply.status(422).send({
        error: { code: 'import-rejected', field: `line ${first.line}: ${first.field}`, reason: first.reason },
        preview: result.preview,
      });
    }
    return reply.status(201).send(result);
  });

  app.get('/v1/office/health', async () => {
    const [branches, workers, depth, poisonDepth] = await Promise.all([
      branchHealth(db),
      queueHealth(db),
      approximateCount(deps.queues.main),
      approximateCount(deps.queues.poison),
    ]);
    return {
      serverTime: Date.now(),
      rule: {
        ...HEALTH_RULE,
        workerAliveSeconds: WORKER_ALIVE_SECONDS,
        // Each branch may set its own; these are what a branch without its own gets.
        syncLateAfterMinutes: DEFAULT_BRANCH_SETTINGS.syncLateAfterMinutes,
        maxTillDbMegabytes: DEFAULT_BRANCH_SETTINGS.maxTillDbMegabytes,
      },
      queue: { depth, poisonDepth, ...workers },
      branches,
    };
  });

  app.get('/v1/office/rejected', async () => ({ rejected: await listRejected(db) }));

  // After the cause is fixed (a till's key restored, a bug in the worker
  // mended), the message goes back on the main queue as it was sent. The
  // claim and the send share a transaction: if the send fails, the row is
  // not marked and the admin can try again.
  app.post('/v1/admin/rejected/:messageId/redrive', async (request) => {
    const { messageId } = parseInput(messageParams, request.params, 'params');
    const by = userOf(request).id;
    await db.transaction(async (tx) => {
      const text = await claimRedrive(tx, messageId, by);
      if (text === undefined) {
        throw new HttpError(404, {
          code: 'not-found',
          field: 'params.messageId',
          reason: `no rejected message ${messageId} waiting to be re-driven`,
        });
      }
      await deps.queues.main.sendMessage(text, { messageTimeToLive: -1 });
    });
    return { messageId, redriven: true };
  });

  // A customer's number as people write it (01712-345678, +880 1712…) finds
  // them; digits alone match anywhere in the number.
  app.get('/v1/office/customers', async (request) => {
    const { q } = parseInput(customersQuery, request.query, 'query');
    const normal = normalizeBdMobile(q);
    const digits = normal.ok ? normal.value.slice(1) : q.replace(/\D/g, '');
    return { customers: await searchCustomers(db, digits) };
  });

  app.get('/v1/office/customers/:phone', async (request) => {
    const params = parseInput(phoneParams, request.params, 'params');
    const phone = normalizeBdMobile(params.phone, 'params.phone');
    if (!phone.ok) throw new HttpError(400, phone.error);
    const detail = await customerDetail(db, phone.value);
    if (!detail) {
      throw new HttpError(404, { code: 'not-found', field: 'params.phone', reason: `no customer ${phone.value}` });
    }
    return detail;
  });

  app.get('/v1/office/users', async () => ({ users: await listOfficeUsers(db) }));

  app.post('/v1/admin/users', async (request, reply) => {
    const body = parseInput(userBody, request.body, 'body');
    const id = await createOfficeUser(db, body).catch((e: unknown) => {
      if ((e as { code?: string }).code === '23505')
        throw new HttpError(409, { code: 'already-exists', field: 'body.email', reason: `${body.email} has a login` });
      throw e;
    });
    return reply.status(201).send({ id, email: body.email.toLowerCase(), role: body.role });
  });

  app.patch('/v1/admin/users/:id', async (request) => {
    const { id } = parseInput(idParams, request.params, 'params');
    const body = parseInput(userPatch, request.body, 'body');
    if (id === userOf(request).id && (body.active === false || body.role === 'viewer')) {
      throw new HttpError(409, {
        code: 'self-lockout',
        field: 'params.id',
        reason: 'an admin cannot switch off or demote their own login',
      });
    }
    if (!(await updateOfficeUser(db, id, body)))
      throw new HttpError(404, { code: 'not-found', field: 'params.id', reason: `no user ${id}` });
    return { id, ...body };
  });
}

async function approximateCount(queue: QueueClient): Promise<number | null> {
  try {
    return (await queue.getProperties()).approximateMessagesCount ?? null;
  } catch {
    return null;
  }
}
