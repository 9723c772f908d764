/** The chaos run's summary as a person reads it: what was made, what arrived, what went wrong. */
import { FAULT_KINDS, TILL_FAULT_KINDS, type ChaosReport } from './chaos';

const n = (v: number) => v.toLocaleString('en-IN');

export function formatReport(r: ChaosReport): string {
  const c = r.reconciliation;
  const b = r.badInputs;
  const row = (label: string, value: string | number) =>
    `  ${label.padEnd(36)} ${typeof value === 'number' ? n(value) : value}`;
  const out: string[] = [];
  out.push(
    `chaos: ${r.options.branches} branches × ${r.options.tillsPerBranch} tills, ${r.options.workers} workers, seed ${r.options.seed}, ${(r.durationMs / 1000).toFixed(0)} s`,
  );
  const tally = (
    title: string,
    t: { made: number; inCentral: number; lost: number; duplicated: number; unexpected: number },
  ) => {
    out.push('', title);
    out.push(row('made at the tills', t.made), row('in central', t.inCentral), row('lost', t.lost));
    out.push(row('duplicated', t.duplicated), row('unexpected', t.unexpected));
  };
  tally('sales', c.sales);
  tally('events (sales, voids, refunds, shift opens and closes)', c.events);
  out.push(row('altered (other total or sequence)', c.altered));
  for (const [type, t] of Object.entries(c.events.byType).sort()) {
    out.push(row(`  ${type}`, `${n(t.made)} made, ${n(t.inCentral)} in central`));
  }
  out.push(row('not confirmed (✔✔) at the tills', c.unconfirmedAtTills));
  out.push(row('tills with gaps in central', c.centralGaps));
  out.push(row('announced but not in the till', c.lostAtTill));
  out.push('', 'bad inputs');
  out.push(row('sent', b.sent));
  out.push(row('rejected with a reason', b.rejected));
  out.push(row('harmless (replays, own data only)', b.harmless));
  out.push(row('accepted by mistake', b.acceptedByMistake));
  out.push(row('answered without a reason (5xx)', b.noReason));
  out.push(row('lost by the queue, resent, rejected', b.lostByQueueAndResent));
  for (const [kind, k] of Object.entries(b.byKind)) {
    if (k.sent === 0) continue;
    const parts = [`${n(k.sent)} sent`, `${n(k.rejected)} rejected`];
    if (k.harmless) parts.push(`${n(k.harmless)} harmless`);
    if (k.accepted) parts.push(`${n(k.accepted)} ACCEPTED`);
    out.push(row(`  ${kind}`, parts.join(', ')));
  }
  out.push('', 'faults injected');
  for (const kind of [...FAULT_KINDS, 'postgres-restarted', ...TILL_FAULT_KINDS]) {
    if (kind === 'postgres-restarted' && !r.faults[kind]) continue;
    out.push(row(kind, r.faults[kind] ?? 0));
  }
  out.push('', 'processes');
  out.push(row('sync runs that sealed, offline', `${n(r.sealed.runs)} (${n(r.sealed.messages)} messages)`));
  out.push(row('workers still running', `${r.workersRunning} of ${r.workersExpected}`));
  out.push(
    row(
      'exits on their own (restarted)',
      `tills ${r.crashes.tills}, workers ${r.crashes.workers}, api ${r.crashes.api}`,
    ),
  );
  out.push(row('every till confirmed (✔✔)', r.settled ? 'yes' : 'NO'));
  if (c.examples.length > 0) out.push('', 'examples', ...c.examples.map((e) => `  ${e}`));
  out.push('', r.failures.length === 0 ? 'OK: nothing lost, doubled or accepted by mistake' : 'FAILED');
  for (const f of r.failures) out.push(`  ${f}`);
  if (r.options.keep) out.push(`data and logs kept in ${r.dataDir}`);
  return out.join('\n');
}
