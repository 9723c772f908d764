import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { REPORT_NAMES, REPORT_TITLES, reportParamsSchema, reportToCsv } from '../../../shared/reports';
import type { Database } from '../../db/database';
import { parseInput } from '../../http';
import { runReport } from '../../reports/run-report';

const reportPath = z.object({ name: z.enum(REPORT_NAMES, { error: `must be one of ${REPORT_NAMES.join(', ')}` }) });
const formatQuery = z.object({ format: z.enum(['json', 'csv']).default('json') });

/**
 * Head office's reports: `GET /v1/reports` lists them, `GET /v1/reports/:name`
 * runs one for a range of Dhaka business days, as JSON (ReportResult) or as
 * a CSV download. Who may read them is decided by `authorize`.
 */
export function reportRoutes(
  app: FastifyInstance,
  deps: { db: Database; authorize: (request: FastifyRequest) => Promise<void> },
) {
  app.get('/v1/reports', async (request) => {
    await deps.authorize(request);
    return { reports: REPORT_NAMES.map((name) => ({ name, title: REPORT_TITLES[name] })) };
  });

  app.get('/v1/reports/:name', async (request, reply) => {
    await deps.authorize(request);
    const { name } = parseInput(reportPath, request.params, 'params');
    const { format, ...rest } = (request.query ?? {}) as Record<string, unknown>;
    const params = parseInput(reportParamsSchema, rest, 'query');
    const wanted = parseInput(formatQuery, { format }, 'query');
    const result = await runReport(deps.db, name, params);
    if (wanted.format === 'json') return result;
    const range = params.from === params.to ? params.from : `${params.from}_${params.to}`;
    const filename = `${name}_${range}${params.branch ? `_${params.branch}` : ''}.csv`;
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .send(reportToCsv(result));
  });
}
