/**
 * The chaos run's checker, in the manner of Jepsen's queue checker: what the
 * tills recorded (read from each till's own SQLite file) against what the
 * central database holds (read with a connection of its own), event by event
 * and sale by sale. Neither side is asked how the other is doing.
 *
 * - lost: recorded at a till (or announced by it as done), not in central;
 * - duplicated: a receipt number, or a till's sequence number, more than
 *   once in central;
 * - unexpected: in central, but no till recorded it;
 * - altered: in both, with another total or sequence.
 */
import Database from 'better-sqlite3';
import pg from 'pg';

export interface TillSource {
  readonly branch: string;
  readonly till: number;
  readonly dbPath: string;
  /** Sale ids the till announced as done: each must be in its own database too. */
  readonly announced: ReadonlySet<string>;
}

export interface Reconciliation {
  readonly sales: { made: number; inCentral: number; lost: number; duplicated: number; unexpected: number };
  readonly events: {
    made: number;
    inCentral: number;
    lost: number;
    duplicated: number;
    unexpected: number;
    byType: Record<string, { made: number; inCentral: number }>;
  };
  /** Announced by a till as done, yet not in that till's own database. */
  readonly lostAtTill: number;
  /** In both, but central has another total (sales) or sequence (events). */
  readonly altered: number;
  /** Events the till still holds as not confirmed (✔ without ✔✔, or not sent). */
  readonly unconfirmedAtTills: number;
  /** Tills whose central sequence state is not whole (acked below highest, or missing ranges). */
  readonly centralGaps: number;
  /** A few of each problem, to start from when one is not 0. */
  readonly examples: string[];
}

interface Row {
  id: string;
  key: string;
  seq: number;
  type: string;
  total?: number;
}

export async function reconcile(tills: readonly TillSource[], databaseUrl: string): Promise<Reconciliation> {
  const examples: string[] = [];
  const note = (s: string) => examples.length < 20 && examples.push(s);
  const madeEvents = new Map<string, Row>();
  const madeSales = new Map<string, Row>();
  let lostAtTill = 0;
  let unconfirmedAtTills = 0;

  for (const t of tills) {
    const db = new Database(t.dbPath, { readonly: true, fileMustExist: true });
    try {
      const key = `${t.branch}-${t.till}`;
      // Head office confirms a prefix of the outbox (✔✔): everything up to outbox_acked.through_seq.
      const outbox = db
        .prepare('SELECT event_id, seq, type, seq > (SELECT through_seq FROM outbox_acked) AS unconfirmed FROM outbox')
        .all() as { event_id: string; seq: number; type: string; unconfirmed: number }[];
      for (const r of outbox) {
        madeEvents.set(r.event_id, { id: r.event_id, key, seq: r.seq, type: r.type });
        if (r.unconfirmed) unconfirmedAtTills++;
      }
      for (const r of db.prepare('SELECT id, receipt_no, total FROM sales').all() as {
        id: string;
        receipt_no: string;
        total: number;
      }[]) {
        madeSales.set(r.id, { id: r.id, key: r.receipt_no, seq: 0, type: 'sale', total: r.total });
      }
      for (const id of t.announced) {
        if (!madeSales.has(id)) {
          lostAtTill++;
          note(`${key}: sale ${id} was announced as done but is not in the till's database`);
        }
      }
    } finally {
      db.close();
    }
  }

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const events = (
      await client.query<{ id: string; branch: string; till_no: number; seq: string; type: string }>(
        'SELECT id, branch, till_no, seq, type FROM till_events',
      )
    ).rows;
    const sales = (
      await client.query<{ id: string; receipt_no: string; total: string }>('SELECT id, receipt_no, total FROM sales')
    ).rows;
    const gaps = (
      await client.query<{ branch: string; till_no: number; acked_seq: string; highest_seq: string; missing: string }>(
        `SELECT t.branch, t.till_no, t.acked_seq, t.highest_seq,
                (SELECT count(*) FROM till_missing_ranges m WHERE m.branch = t.branch AND m.till_no = t.till_no) AS missing
           FROM tills t`,
      )
    ).rows.filter((r) => r.acked_seq !== r.highest_seq || Number(r.missing) > 0);
    for (const g of gaps) note(`central: ${g.branch}-${g.till_no} acked ${g.acked_seq} of ${g.highest_seq}`);

    let altered = 0;
    const byType: Record<string, { made: number; inCentral: number }> = {};
    for (const e of madeEvents.values()) (byType[e.type] ??= { made: 0, inCentral: 0 }).made++;

    const centralEventIds = new Set<string>();
    const bySeq = new Map<string, number>();
    let eventsUnexpected = 0;
    for (const e of events) {
      centralEventIds.add(e.id);
      (byType[e.type] ??= { made: 0, inCentral: 0 }).inCentral++;
      const key = `${e.branch}-${e.till_no}`;
      const seqKey = `${key}#${e.seq}`;
      bySeq.set(seqKey, (bySeq.get(seqKey) ?? 0) + 1);
      const mine = madeEvents.get(e.id);
      if (!mine) {
        eventsUnexpected++;
        note(`central: event ${e.id} (${seqKey}) was made by no till`);
      } else if (mine.key !== key || mine.seq !== Number(e.seq)) {
        altered++;
        note(`central: event ${e.id} is ${seqKey}, the till has ${mine.key}#${mine.seq}`);
      }
    }
    let eventsLost = 0;
    for (const e of madeEvents.values()) {
      if (!centralEventIds.has(e.id)) {
        eventsLost++;
        note(`${e.key}: event ${e.id} (#${e.seq}, ${e.type}) is not in central`);
      }
    }
    const eventsDuplicated = [...bySeq.values()].reduce((n, c) => n + c - 1, 0);

    const centralSaleIds = new Set<string>();
    const byReceipt = new Map<string, number>();
    let salesUnexpected = 0;
    for (const s of sales) {
      centralSaleIds.add(s.id);
      byReceipt.set(s.receipt_no, (byReceipt.get(s.receipt_no) ?? 0) + 1);
      const mine = madeSales.get(s.id);
      if (!mine) {
        salesUnexpected++;
        note(`central: sale ${s.id} (${s.receipt_no}) was made by no till`);
      } else if (mine.total !== Number(s.total) || mine.key !== s.receipt_no) {
        altered++;
        note(`central: sale ${s.receipt_no} totals ${s.total}, the till has ${mine.key} at ${mine.total}`);
      }
    }
    let salesLost = 0;
    for (const s of madeSales.values()) {
      if (!centralSaleIds.has(s.id)) {
        salesLost++;
        note(`${s.key}: sale ${s.id} is not in central`);
      }
    }
    const salesDuplicated = [...byReceipt.entries()].reduce((n, [receipt, c]) => {
      if (c > 1) note(`central: receipt ${receipt} ${c} times`);
      return n + c - 1;
    }, 0);

    return {
      sales: {
        made: madeSales.size,
        inCentral: sales.length,
        lost: salesLost + lostAtTill,
        duplicated: salesDuplicated,
        unexpected: salesUnexpected,
      },
      events: {
        made: madeEvents.size,
        inCentral: events.length,
        lost: eventsLost,
        duplicated: eventsDuplicated,
        unexpected: eventsUnexpected,
        byType,
      },
      lostAtTill,
      altered,
      unconfirmedAtTills,
      centralGaps: gaps.length,
      examples,
    };
  } finally {
    await client.end();
  }
}
