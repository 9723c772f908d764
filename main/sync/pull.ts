import type { ProductId, StaffId } from '../../shared/ids';
import type { Poisha } from '../../shared/money';
import type { VatRate } from '../../shared/vat';
import { parsePullResponse, type PullResponse } from '../../shared/wire/pull';
import type { ProvisioningBundle } from '../../shared/wire/provisioning';
import { upsertProduct } from '../store/catalog';
import { inUnsyncedTransaction, type WritableDB } from '../store/db';
import { applyAcknowledgement } from '../store/outbox';
import { upsertStaff } from '../store/staff';
import { getSyncState, recordPull } from '../store/sync-state';
import { setBranchSettings } from '../store/till';
import { SyncFailure } from './failure';

export interface PullDeps {
  readonly db: WritableDB;
  readonly now: () => number;
  readonly credentials: ProvisioningBundle;
  /** How long head office may take to answer a page (its headers); the body then has at least 30 s. */
  readonly timeoutMs?: number;
  /** The till's database health, reported to head office with each page asked for. */
  readonly health?: TillHealthReport;
  /** Missing ranges queued less than this long ago are not sent again yet: they may just not be ingested. */
  readonly missingGraceMs?: number;
  readonly pageSize?: number;
  readonly onPage?: (p: { pages: number; changes: number }) => void;
}

export interface PullSummary {
  readonly pages: number;
  readonly products: number;
  readonly staff: number;
  readonly settingsChanged: boolean;
  /** Events newly confirmed by the central database (✔✔). */
  readonly acked: number;
  /** Events the central side reported missing, put back to be sent again. */
  readonly requeued: number;
  readonly queueUrl: string;
  /** Head office's clock minus ours, at the last page, for display only. */
  readonly skewMs: number;
}

/** Most pages one run pulls before pushing, so a huge catch-up still lets sales out. */
const MAX_PAGES = 2000;

/**
 * Changes per page, the most head office serves. Each page is a request and
 * a commit; 5000 products are some 400 KiB gzipped on the wire. A head
 * office that serves fewer says so, and the till then asks for its most.
 */
export const DEFAULT_PAGE_SIZE = 5000;

/**
 * The page size head office allows, read from its refusal of a larger one
 * (`400 { error: { field: 'query.limit', reason: 'must be at most 1000' } }`):
 * a number, null when it names no number (then its default applies), or
 * undefined when the answer is not about the page size.
 */
export function allowedPageSize(body: string): number | null | undefined {
  let field: unknown;
  let reason: unknown;
  try {
    ({ field, reason } = (JSON.parse(body) as { error?: { field?: unknown; reason?: unknown } }).error ?? {});
  } catch {
    return undefined;
  }
  if (field !== 'query.limit') return undefined;
  const most = typeof reason === 'string' ? /(?:<=|at most)\s*(\d+)/.exec(reason)?.[1] : undefined;
  return most !== undefined && Number(most) >= 1 ? Number(most) : null;
}

/** The page size this pull asks for; null: head office's own default. */
interface PageSize {
  limit: number | null;
}

/** What a till says of its database on each pull; head office's health page shows it. */
export interface TillHealthReport {
  readonly dbBytes: number;
  readonly rowsWaiting: number;
  /** The till's last outbox sequence: head office counts what waits as this less what it has acknowledged. */
  readonly lastSeq: number;
  /** The oldest sale not confirmed (✔✔) yet: its sequence, and its age by the till's own clock. */
  readonly oldestUnsynced: { readonly seq: number; readonly ageMs: number } | null;
}

function healthQuery(h: TillHealthReport | undefined): string {
  if (!h) return '';
  const oldest = h.oldestUnsynced
    ? `&oldestUnsyncedSeq=${h.oldestUnsynced.seq}&oldestUnsyncedAgeMs=${Math.max(0, Math.round(h.oldestUnsynced.ageMs))}`
    : '';
  return `&dbBytes=${h.dbBytes}&rowsWaiting=${h.rowsWaiting}&lastSeq=${h.lastSeq}${oldest}`;
}

/**
 * Whether head office's API answers at all, within `timeoutMs`: a cheap
 * `GET /health` that tells a dead or silent line from a slow page. Throws an
 * error the failure classifier reads as offline (or as the HTTP status).
 */
export async function checkHeadOffice(apiUrl: string, timeoutMs: number): Promise<void> {
  const response = await fetch(`${apiUrl.replace(/\/+$/, '')}/health`, { signal: AbortSignal.timeout(timeoutMs) });
  await response.body?.cancel();
  if (!response.ok) {
    throw Object.assign(new Error(`head office's health check answered ${response.status}`), {
      statusCode: response.status,
    });
  }
}

async function fetchPage(deps: PullDeps, cursor: string, size: PageSize): Promise<PullResponse> {
  const base = deps.credentials.apiUrl.replace(/\/+$/, '');
  // A line that does not answer is found out within the answer timeout; a
  // page that is answered but slow to arrive gets longer, so a big first pull
  // over a thin line is not mistaken for no line at all.
  const answerMs = deps.timeoutMs ?? 30_000;
  for (;;) {
    const limit = size.limit;
    const url = `${base}/v1/pull?cursor=${encodeURIComponent(cursor)}${limit === null ? '' : `&limit=${limit}`}${healthQuery(deps.health)}`;
    const abort = new AbortController();
    const timer = setTimeout(
      () => abort.abort(new DOMException('head office did not answer', 'TimeoutError')),
      answerMs,
    );
    try {
      const response = await fetch(url, {
        headers: { authorization: `Bearer ${deps.credentials.pullToken}`, accept: 'application/json' },
        signal: abort.signal,
      });
      clearTimeout(timer);
      const bodyTimer = setTimeout(
        () => abort.abort(new DOMException('the pull page did not arrive', 'TimeoutError')),
        Math.max(30_000, answerMs),
      );
      try {
        if (!response.ok) {
          const body = await response.text().catch(() => '');
          // A head office that serves smaller pages: ask again for its most, and keep to it for the pages after.
          const allowed = response.status === 400 && limit !== null ? allowedPageSize(body) : undefined;
          if (allowed === null || (allowed !== undefined && limit !== null && allowed < limit)) {
            size.limit = allowed;
            continue;
          }
          throw Object.assign(new Error(`pull answered ${response.status}: ${body.slice(0, 300)}`), {
            statusCode: response.status,
          });
        }
        return checkedPage(deps, await response.json());
      } finally {
        clearTimeout(bodyTimer);
      }
    } finally {
      clearTimeout(timer);
    }
  }
}

function checkedPage(deps: PullDeps, raw: unknown): PullResponse {
  const parsed = parsePullResponse(raw);
  if (!parsed.ok) {
    throw new SyncFailure(
      'server',
      `head office sent a pull page this till cannot read: ${parsed.error.field}: ${parsed.error.reason}`,
    );
  }
  const page = parsed.value;
  if (page.branch !== deps.credentials.branch || page.till !== deps.credentials.till) {
    throw new SyncFailure(
      'config',
      `head office answered for ${page.branch}-${page.till}, this till is ${deps.credentials.branch}-${deps.credentials.till}`,
    );
  }
  return page;
}

/**
 * Pulls master data and acknowledgements, page by page from the stored
 * cursor. Each page is applied in one transaction together with its cursor,
 * so a run cut off halfway (or a power cut) resumes from the last page it
 * applied. Prices
 * change only the catalog: a completed sale keeps the price it was rung at.
 */
export async function pullAll(deps: PullDeps): Promise<PullSummary> {
  const cursor = getSyncState(deps.db).pullCursor;
  const total = {
    pages: 0,
    products: 0,
    staff: 0,
    settingsChanged: false,
    acked: 0,
    requeued: 0,
    queueUrl: '',
    skewMs: 0,
  };
  const size: PageSize = { limit: deps.pageSize ?? DEFAULT_PAGE_SIZE };
  let fetching: Promise<PullResponse> | null = fetchPage(deps, cursor, size);
  while (fetching) {
    const page: PullResponse = await fetching;
    // Ask for the next page before applying this one: the request and head
    // office's query overlap the till's writes instead of waiting for them.
    fetching = page.more && total.pages + 1 < MAX_PAGES ? fetchPage(deps, page.cursor, size) : null;
    // A failure of the page ahead is thrown when its turn comes, or never if this one fails first.
    fetching?.catch(() => undefined);
    const at = deps.now();
    // A page's commit does not wait for the disk: a power cut that loses it
    // loses its cursor with it, and the next pull fetches the page again.
    inUnsyncedTransaction(deps.db, () => {
      for (const p of page.products) {
        upsertProduct(
          deps.db,
          { ...p, id: p.id as ProductId, price: p.price as Poisha, vatRate: p.vatRate as VatRate },
          at,
        );
      }
      for (const s of page.staff) upsertStaff(deps.db, { ...s, id: s.id as StaffId }, at);
      if (page.settings) setBranchSettings(deps.db, page.settings);
      const mine = page.tills.find((t) => t.till === deps.credentials.till);
      if (mine) {
        const r = applyAcknowledgement(
          deps.db,
          { ackedThrough: mine.acked, missing: mine.missing.map((m) => ({ from: m.first, to: m.last })) },
          at,
          at - (deps.missingGraceMs ?? 120_000),
        );
        total.acked += r.acked;
        total.requeued += r.requeued;
      }
      recordPull(deps.db, { cursor: page.cursor, queueUrl: page.queue.url, serverTime: page.serverTime }, at);
    });
    total.pages += 1;
    total.products += page.products.length;
    total.staff += page.staff.length;
    total.settingsChanged ||= page.settings !== null;
    total.queueUrl = page.queue.url;
    total.skewMs = page.serverTime - at;
    deps.onPage?.({ pages: total.pages, changes: total.products + total.staff });
  }
  return total;
}
