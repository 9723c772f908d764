import { z } from 'zod';
import { fail, ok, type Result } from '../result';
import { branchCode, epochMs, problemFromIssues, sequence, tillNumber, uuidV7 } from './common';
import { acceptsEvent, parseEvent, type TillEvent } from './events';
import { compilePredicate } from './predicate';

/**
 * The envelope that carries a run of one till's events to the cloud: the
 * till, the sequence range it covers (first..last, every sequence present
 * exactly once, in order), and the device time when it was packed. The
 * central side ingests each event by its id, so a batch delivered twice, late
 * or out of order changes nothing.
 */
export const SALES_BATCH_TYPE = 'sales-batch';
export const SALES_BATCH_VERSION = 1;
export const MAX_EVENTS_PER_BATCH = 5000;

export interface SalesBatch {
  readonly type: typeof SALES_BATCH_TYPE;
  readonly v: 1;
  readonly id: string;
  readonly branch: string;
  readonly till: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly deviceTime: number;
  readonly events: readonly TillEvent[];
}

const batchHeader = z.object({
  type: z.literal(SALES_BATCH_TYPE, `must be "${SALES_BATCH_TYPE}"`),
  v: z.int('must be a whole number'),
  id: uuidV7,
  branch: branchCode,
  till: tillNumber,
  firstSeq: sequence,
  lastSeq: sequence,
  deviceTime: epochMs,
  events: z.array(z.unknown()).min(1, 'a batch carries at least one event').max(MAX_EVENTS_PER_BATCH),
});

export function parseBatch(raw: unknown): Result<SalesBatch> {
  const header = batchHeader.safeParse(raw);
  if (!header.success) return { ok: false, error: problemFromIssues(header.error.issues) };
  const h = header.data;
  if (h.v !== SALES_BATCH_VERSION) {
    return fail(
      'unsupported-version',
      'v',
      `batch version ${h.v} is not supported; this build reads version ${SALES_BATCH_VERSION}`,
    );
  }
  if (h.lastSeq < h.firstSeq) {
    return fail('invalid-range', 'lastSeq', `lastSeq ${h.lastSeq} is below firstSeq ${h.firstSeq}`);
  }
  if (h.lastSeq - h.firstSeq + 1 !== h.events.length) {
    return fail(
      'invalid-range',
      'events',
      `sequences ${h.firstSeq}..${h.lastSeq} need ${h.lastSeq - h.firstSeq + 1} events, the batch has ${h.events.length}`,
    );
  }
  const events: TillEvent[] = [];
  for (const [i, rawEvent] of h.events.entries()) {
    const parsed = parseEvent(rawEvent, `events[${i}]`);
    if (!parsed.ok) return parsed;
    if (parsed.value.seq !== h.firstSeq + i) {
      return fail('invalid-range', `events[${i}].seq`, `expected sequence ${h.firstSeq + i}, got ${parsed.value.seq}`);
    }
    events.push(parsed.value);
  }
  return ok({ ...h, type: SALES_BATCH_TYPE, v: 1, events });
}

const headerAccepts = compilePredicate(batchHeader);

/**
 * The batch itself when parseBatch would accept it, shown by predicates
 * (see acceptsEvent) without copying it; undefined when that is not shown,
 * and then parseBatch gives the verdict and the reason. The cloud opens
 * hundreds of thousands of events a minute, and copying each through zod was
 * an eighth of its CPU. The one difference from parseBatch's value: keys the
 * schemas do not know are not stripped, and no reader looks at them.
 */
export function acceptedBatch(raw: unknown): SalesBatch | undefined {
  if (!headerAccepts(raw)) return undefined;
  const h = raw as { v: number; firstSeq: number; lastSeq: number; events: readonly { seq?: unknown }[] };
  if (h.v !== SALES_BATCH_VERSION || h.lastSeq - h.firstSeq + 1 !== h.events.length) return undefined;
  for (let i = 0; i < h.events.length; i++) {
    const e = h.events[i];
    if (!acceptsEvent(e) || e!.seq !== h.firstSeq + i) return undefined;
  }
  return raw as SalesBatch;
}
