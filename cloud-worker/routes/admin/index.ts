import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { branchSettingsSchema } from '../../../shared/settings';
import { branchCode, shortText, tillNumber, uuid } from '../../../shared/wire/common';
import { PROVISIONING_TYPE, type ProvisioningBundle } from '../../../shared/wire/provisioning';
import { pulledProduct, pulledStaff } from '../../../shared/wire/pull';
import { hashSecret } from '../../auth/scrypt';
import { isDataError, sqlState, type Database } from '../../db/database';
import { hashToken, HttpError, newToken, parseInput } from '../../http';
import { PolicyRotationUnavailable, type BranchSas } from '../../queue/branch-sas';
import { generateTillKey } from '../../queue/node-primitives';
import type { OfficeAuth } from '../../auth/office-auth';
import { startOfficeSession } from '../../repositories/office-user-repository';
import {
  insertBranch,
  masterDataChange,
  updateBranchSettings,
  upsertProduct,
  upsertStaff,
} from '../../repositories/master-data-repository';
import { readProduct, withoutId } from '../../repositories/product-repository';
import { insertTill, revokeTill } from '../../repositories/till-repository';

const BEARER_SESSION_HOURS = 12;
const loginBody = z.object({ email: z.email().max(200), password: z.string().min(1).max(200) });
const branchBody = z.object({
  code: branchCode,
  nameEn: shortText(100).min(1),
  nameBn: shortText(100).default(''),
  settings: branchSettingsSchema.default(branchSettingsSchema.parse({})),
});
const settingsBody = z.object({ settings: branchSettingsSchema });
const branchParams = z.object({ code: branchCode });
const tillParams = z.object({ code: branchCode, till: z.coerce.number().pipe(tillNumber) });
const tillBody = z.object({ till: tillNumber });
const idParams = z.object({ id: uuid });
const productBody = pulledProduct.omit({ id: true });
const productPatch = productBody.partial();
const staffParams = z.object({ code: branchCode, id: uuid });
const staffBody = pulledStaff.omit({ id: true, pinHash: true }).extend({
  pin: z
    .string()
    .regex(/^\d{4,8}$/, 'must be 4 to 8 digits')
    .optional(),
});

/**
 * Head office's endpoints: log in, create branches and tills (a new till
 * gets its provisioning bundle), revoke a till, change products, prices, VAT,
 * staff and branch settings. Each change is one transaction: a request that
 * fails writes nothing.
 */
export function adminRoutes(
  app: FastifyInstance,
  deps: { db: Database; sas: BranchSas; publicApiUrl: string; auth: OfficeAuth },
) {
  const { db } = deps;

  /** Turns a database's refusal of the input into a 4xx naming the field. */
  function conflict(error: unknown, field: string, what: string): never {
    if (sqlState(error) === '23505')
      throw new HttpError(409, { code: 'already-exists', field, reason: `${what} already exists` });
    if (isDataError(error)) throw new HttpError(422, { code: 'rejected', field, reason: (error as Error).message });
    throw error;
  }

  // For scripts: a bearer token, which a browser never sends by itself, so it needs no CSRF token.
  app.post('/v1/admin/login', { config: { access: 'public' } }, async (request, reply) => {
    const body = parseInput(loginBody, request.body, 'body');
    const { userId } = await deps.auth.login(request, body.email, body.password);
    const token = newToken();
    const expiresAt = await startOfficeSession(db, userId, hashToken(token), BEARER_SESSION_HOURS, null);
    return reply.status(201).send({ token, expiresAt: expiresAt.getTime() });
  });

  app.post('/v1/admin/branches', async (request, reply) => {
    const body = parseInput(branchBody, request.body, 'body');
    await masterDataChange(db, (tx, seq) => insertBranch(tx, seq, body)).catch((e) =>
      conflict(e, 'body.code', `branch ${body.code}`),
    );
    return reply.status(201).send({ code: body.code });
  });

  app.put('/v1/admin/branches/:code/settings', async (request) => {
    const { code } = parseInput(branchParams, request.params, 'params');
    const { settings } = parseInput(settingsBody, request.body, 'body');
    const found = await masterDataChange(db, (tx, seq) => updateBranchSettings(tx, seq, code, settings));
    if (!found) throw new HttpError(404, { code: 'not-found', field: 'params.code', reason: `no branch ${code}` });
    return { code, settings };
  });

  app.post('/v1/admin/branches/:code/tills', async (request, reply) => {
    const { code } = parseInput(branchParams, request.params, 'params');
    const { till } = parseInput(tillBody, request.body, 'body');
    const key = generateTillKey();
    const token = newToken();
    await db
      .transaction(async (tx) => {
        const [branch] = await tx.query('SELECT 1 FROM branches WHERE code = $1', [code]);
        if (!branch) throw new HttpError(404, { code: 'not-found', field: 'params.code', reason: `no branch ${code}` });
        await insertTill(tx, {
          branch: code,
          till,
          keyId: key.keyId,
          publicKey: key.publicKey,
          tokenHash: hashToken(token),
        });
      })
      .catch((e) => (e instanceof HttpError ? Promise.reject(e) : conflict(e, 'body.till', `till ${code}-${till}`)));
    const bundle: ProvisioningBundle = {
      type: PROVISIONING_TYPE,
      v: 1,
      branch: code,
      till,
      keyId: key.keyId,
      signingKey: key.privateKey,
      apiUrl: deps.publicApiUrl,
      pullToken: token,
      issuedAt: Date.now(),
    };
    return reply.status(201).header('cache-control', 'no-store').send(bundle);
  });

  app.post('/v1/admin/branches/:code/tills/:till/revoke', async (request) => {
    const { code, till } = parseInput(tillParams, request.params, 'params');
    const found = await db.transaction((tx) => revokeTill(tx, code, till));
    if (!found)
      throw new HttpError(404, { code: 'not-found', field: 'params.till', reason: `no till ${code}-${till}` });
    return { branch: code, till, revoked: true };
  });

  app.put('/v1/admin/products/:id', async (request) => {
    const { id } = parseInput(idParams, request.params, 'params');
    const body = parseInput(productBody, request.body, 'body');
    const changeSeq = await masterDataChange(db, async (tx, seq) => {
      await upsertProduct(tx, seq, { ...body, id });
      return seq;
    }).catch((e) => conflict(e, 'body.sku', `sku ${body.sku}`));
    return { id, changeSeq };
  });

  // Prices and VAT change far more often than anything else about a product.
  app.patch('/v1/admin/products/:id', async (request) => {
    const { id } = parseInput(idParams, request.params, 'params');
    const patch = parseInput(productPatch, request.body, 'body');
    const changeSeq = await masterDataChange(db, async (tx, seq) => {
      const row = await readProduct(tx, id, true);
      if (!row) throw new HttpError(404, { code: 'not-found', field: 'params.id', reason: `no product ${id}` });
      const merged = parseInput(productBody, { ...withoutId(row), ...patch }, 'body');
      await upsertProduct(tx, seq, { ...merged, id });
      return seq;
    }).catch((e) => (e instanceof HttpError ? Promise.reject(e) : conflict(e, 'body.sku', 'that sku')));
    return { id, changeSeq };
  });

  app.put('/v1/admin/branches/:code/staff/:id', async (request) => {
    const { code, id } = parseInput(staffParams, request.params, 'params');
    const body = parseInput(staffBody, request.body, 'body');
    const pinHash = body.pin ? await hashSecret(body.pin) : undefined;
    const changeSeq = await masterDataChange(db, async (tx, seq) => {
      const [existing] = await tx.query<{ branch: string; pin_hash: string }>(
        'SELECT branch, pin_hash FROM cashiers WHERE id = $1 FOR UPDATE',
        [id],
      );
      if (existing && existing.branch !== code) {
        throw new HttpError(409, {
          code: 'other-branch',
          field: 'params.id',
          reason: `staff ${id} belongs to another branch`,
        });
      }
      const hash = pinHash ?? existing?.pin_hash;
      if (!hash)
        throw new HttpError(400, {
          code: 'invalid-field',
          field: 'body.pin',
          reason: 'a new staff member needs a PIN',
        });
      const [branch] = await tx.query('SELECT 1 FROM branches WHERE code = $1', [code]);
      if (!branch) throw new HttpError(404, { code: 'not-found', field: 'params.code', reason: `no branch ${code}` });
      await upsertStaff(tx, seq, code, {
        id,
        code: body.code,
        name: body.name,
        role: body.role,
        active: body.active,
        pinHash: hash,
      });
      return seq;
    }).catch((e) => (e instanceof HttpError ? Promise.reject(e) : conflict(e, 'body.code', `staff code ${body.code}`)));
    return { id, changeSeq };
  });

  app.post('/v1/admin/queue/rotate-policy', async () => {
    try {
      return { policy: await deps.sas.rotateBranchPolicy() };
    } catch (error) {
      if (!(error instanceof PolicyRotationUnavailable)) throw error;
      throw new HttpError(409, { code: 'no-shared-policy', field: '(root)', reason: error.message });
    }
  });
}
