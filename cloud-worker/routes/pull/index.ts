import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { branchSettingsSchema } from '../../../shared/settings';
import { pullCursor, PULL_RESPONSE_TYPE, type PullResponse } from '../../../shared/wire/pull';
import type { Database } from '../../db/database';
import { bearerToken, hashToken, parseInput, unauthorized } from '../../http';
import type { BranchSas } from '../../queue/branch-sas';
import { formatCursor, isKnownCursor, parseCursor, readChanges } from '../../repositories/pull-repository';
import { applyDueChanges } from '../../repositories/product-repository';
import { branchAcks, findTillByTokenHash, recordTillDbHealth } from '../../repositories/till-repository';

const count = z.coerce.number().int('must be a whole number').min(0).max(Number.MAX_SAFE_INTEGER);

const pullQuery = z.object({
  cursor: pullCursor
    .default('0')
    .refine((c) => isKnownCursor(parseCursor(c)), 'names a kind or a row this server never gave out in a cursor'),
  limit: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(5000, 'must be at most 5000')
    .default(500),
  // The till's database health, for head office's health page (main/sync/pull.ts).
  dbBytes: count.optional(),
  rowsWaiting: count.optional(),
  lastSeq: count.optional(),
  oldestUnsyncedSeq: z.coerce.number().int('must be a whole number').min(1).optional(),
  oldestUnsyncedAgeMs: count.optional(),
});

/**
 * `GET /v1/pull`: a till, with its own token, pulls its branch's master-data
 * changes since its cursor, the acknowledgements of its branch's tills and a
 * fresh queue SAS. The branch comes from the token alone, never from the
 * request, so no token can read another branch's data.
 */
export function pullRoutes(app: FastifyInstance, deps: { db: Database; sas: BranchSas }) {
  app.get('/v1/pull', { config: { access: 'public' } }, async (request): Promise<PullResponse> => {
    const token = bearerToken(request);
    if (!token) throw unauthorized('send the till pull token as Authorization: Bearer <token>');
    const till = await findTillByTokenHash(deps.db, hashToken(token));
    if (!till) throw unauthorized('unknown or revoked pull token');
    const query = parseInput(pullQuery, request.query, 'query');
    // A price change whose time has come reaches this pull even if the
    // housekeeping timer has not run yet; one not yet due cannot.
    await applyDueChanges(deps.db);

    const page = await readChanges(deps.db, till.branch, parseCursor(query.cursor), query.limit);
    const [tills, queueUrl] = await Promise.all([branchAcks(deps.db, till.branch), deps.sas.url()]);
    await deps.db.query('UPDATE tills SET last_pull_at = now() WHERE branch = $1 AND till_no = $2', [
      till.branch,
      till.till,
    ]);
    if (query.dbBytes !== undefined && query.rowsWaiting !== undefined) {
      await recordTillDbHealth(deps.db, till, {
        dbBytes: query.dbBytes,
        rowsWaiting: query.rowsWaiting,
        lastSeq: query.lastSeq ?? null,
        oldestUnsynced:
          query.oldestUnsyncedSeq !== undefined && query.oldestUnsyncedAgeMs !== undefined
            ? { seq: query.oldestUnsyncedSeq, ageMs: query.oldestUnsyncedAgeMs }
            : null,
      });
    }
    return {
      type: PULL_RESPONSE_TYPE,
      v: 1,
      branch: till.branch,
      till: till.till,
      cursor: formatCursor(page.cursor),
      more: page.more,
      products: page.products,
      staff: page.staff,
      settings: page.settings ? branchSettingsSchema.parse(page.settings) : null,
      tills,
      queue: { url: queueUrl },
      serverTime: Date.now(),
    };
  });
}
