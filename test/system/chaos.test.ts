import { describe, expect, it } from 'vitest';
import { MESSAGE_KINDS, REQUEST_KINDS } from '../../scripts/chaos/bad-input';
import { FAULT_KINDS, runChaos, TILL_FAULT_KINDS } from '../../scripts/chaos/chaos';
import { formatReport } from '../../scripts/chaos/report';

/**
 * `npm run chaos` in small: two branches of two tills ring up a few
 * thousand sales (with refunds, voids and shift closes) while every kind of
 * fault happens at least once, and a few hundred bad messages and requests
 * arrive; then nothing may be lost, doubled, unexpected or accepted by
 * mistake. Needs the PostgreSQL server (DATABASE_URL), as CI has.
 *
 * CHAOS_SEED=<n> replays the choices of a failed run.
 */
const databaseUrl = process.env.DATABASE_URL;

describe.skipIf(!databaseUrl)('the chain under fire', () => {
  // Every wait inside the run is bounded; the long timeout only keeps vitest from abandoning a slow run's processes.
  it('loses, doubles and lets in nothing', async () => {
    const seed = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const report = await runChaos({
      branches: 2,
      tillsPerBranch: 2,
      sales: 2000,
      workers: 2,
      badInputs: 250,
      seed,
      faultEveryMs: 700,
      // Small messages: many pushes, so that kills and cuts land in the middle of them.
      syncEveryMs: 700,
      outageMs: 10_000,
      products: 60,
      databaseUrl: databaseUrl!,
      settleTimeoutMs: 240_000,
      progress: () => undefined,
    });
    const summary = `seed ${seed}\n${formatReport(report)}`;
    expect(report.failures, summary).toEqual([]);
    const c = report.reconciliation;
    expect(c.sales.made, summary).toBeGreaterThanOrEqual(2000);
    expect(c.sales.inCentral, summary).toBe(c.sales.made);
    expect(c.events.inCentral, summary).toBe(c.events.made);
    for (const type of ['sale.completed', 'sale.voided', 'sale.refunded', 'shift.opened', 'shift.closed']) {
      expect(c.events.byType[type]?.inCentral ?? 0, `${type}\n${summary}`).toBeGreaterThan(0);
    }
    for (const kind of [...FAULT_KINDS, ...TILL_FAULT_KINDS]) {
      expect(report.faults[kind] ?? 0, `${kind}\n${summary}`).toBeGreaterThan(0);
    }
    for (const kind of [...MESSAGE_KINDS, ...REQUEST_KINDS]) {
      expect(report.badInputs.byKind[kind]!.sent, `${kind}\n${summary}`).toBeGreaterThan(0);
    }
    expect(report.badInputs.rejected + report.badInputs.harmless, summary).toBe(report.badInputs.sent);
    expect(report.workersRunning, summary).toBe(2);
  }, 900_000);
});
