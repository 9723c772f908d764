import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { branchSettingsSchema } from '../../../shared/settings';
import { branchCode, shortText, tillNumber, uuid } from '../../../shared/wire/common';
import { PROVISIONING_TYPE, type ProvisioningBundle } from '../../../shared/wire/provisioning';
import { pulledProduct, pulledStaff } from '../../../shared/wire/pull';
import { hashSecret } from '../../auth/scrypt';
import { isDataError, sqlState, type Database } from '../../db/database';
import { bearerToken, hashToken, HttpError, newToken, parseInput, unauthorized } from '../../http';
import type { BranchSas } from '../../queue/branch-sas';
import { generateTillKey } from '../../queue/node-primitives';
import { checkAdminPassword, findSession, startSession } from '../../repositories/admin-repository';
import {
  insertBranch,
  masterDataChange,
  updateBranchSettings,
  upsertProduct,
  upsertStaff,
} from '../../repositories/master-data-repository';
import { insertTill, revokeTill } from '../../repositories/till-repository';

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
export function adminRoutes(app: FastifyInstance, deps: { db: Database; sas: BranchSas; publicApiUrl: string }) {
  const { db } = deps;

  async function requireAdmin(request: FastifyRequest): Promise<string> {
    const token = bearerToken(request);
    const admin = token ? await findSession(db, hashToken(token)) : undefined;
    if (!admin) throw unauthorized('log in at POST /v1/admin/login and send the session token as a bearer token');
    return admin;
  }

  /** Turns a database's refusal of the input into a 4xx naming the field. */
  function conflict(error: unknown, field: string, what: string): never {
    if (sqlState(error) === '23505')
      throw new HttpError(409, { code: 'already-exists', field, reason: `${what} already exists` });
    if (isDataError(error)) throw new HttpError(422, { code: 'rejected', field, reason: (error as Error).message });
    throw error;
  }

  app.post('/v1/admin/login', async (request, reply) => {
    const body = parseInput(loginBody, request.body, 'body');
    const admin = await checkAdminPassword(db, body.email, body.password);
    if (!admin) throw unauthorized('wrong email or password');
    const token = newToken();
    const expiresAt = await startSession(db, admin, hashToken(token));
    return reply.status(201).send({ token, expiresAt: expiresAt.getTime() });
  });

  app.post('/v1/admin/branches', async (request, reply) => {
    await requireAdmin(request);
    const body = parseInput(branchBody, request.body, 'body');
    await masterDataChange(db, (tx, seq) => insertBranch(tx, seq, body)).catch((e) =>
      conflict(e, 'body.code', `branch ${body.code}`),
    );
    return reply.status(201).send({ code: body.code });
  });

  app.put('/v1/admin/branches/:code/settings', async (request) => {
    await requireAdmin(request);
    const { code } = parseInput(branchParams, request.params, 'params');
    const { settings } = parseInput(settingsBody, request.body, 'body');
    const found = await masterDataChange(db, (tx, seq) => updateBranchSettings(tx, seq, code, settings));
    if (!found) throw new HttpError(404, { code: 'not-found', field: 'params.code', reason: `no branch ${code}` });
    return { code, settings };
  });

  app.post('/v1/admin/branches/:code/tills', async (request, reply) => {
    await requireAdmin(request);
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
    await requireAdmin(request);
    const { code, till } = parseInput(tillParams, request.params, 'params');
    const found = await db.transaction((tx) => revokeTill(tx, code, till));
    if (!found)
      throw new HttpError(404, { code: 'not-found', field: 'params.till', reason: `no till ${code}-${till}` });
    return { branch: code, till, revoked: true };
  });

  app.put('/v1/admin/products/:id', async (request) => {
    await requireAdmin(request);
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
    await requireAdmin(request);
    const { id } = parseInput(idParams, request.params, 'params');
    const patch = parseInput(productPatch, request.body, 'body');
    const changeSeq = await masterDataChange(db, async (tx, seq) => {
      const [row] = await tx.query<Record<string, unknown>>(
        `SELECT sku, name_en AS "nameEn", name_bn AS "nameBn", category, unit, price, vat_rate AS "vatRate",
                vat_mode AS "vatMode", active,
                coalesce((SELECT array_agg(barcode ORDER BY barcode) FROM product_barcodes WHERE product_id = p.id), '{}') AS barcodes
           FROM products p WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!row) throw new HttpError(404, { code: 'not-found', field: 'params.id', reason: `no product ${id}` });
      const merged = parseInput(productBody, { ...row, ...patch }, 'body');
      await upsertProduct(tx, seq, { ...merged, id });
      return seq;
    }).catch((e) => (e instanceof HttpError ? Promise.reject(e) : conflict(e, 'body.sku', 'that sku')));
    return { id, changeSeq };
  });

  app.put('/v1/admin/branches/:code/staff/:id', async (request) => {
    await requireAdmin(request);
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

  app.post('/v1/admin/queue/rotate-policy', async (request) => {
    await requireAdmin(request);
    return { policy: await deps.sas.rotateBranchPolicy() };
  });
}
