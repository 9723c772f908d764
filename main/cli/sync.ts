/**
 * haat-sync: the one sync command branch staff run when head office asks
 * ("pull, then push"). Prints progress while it works and a summary at the
 * end. Exit 0 when everything went, 1 when sync failed (the reason in words),
 * 2 when another sync holds the till or the till is not set up.
 *
 *   npm run sync -- [--data <dir>] [--status] [--json]
 */
import { existsSync } from 'node:fs';
import { formatDhakaTime } from '../../shared/format';
import { openTill } from '../open-till';
import { outboxCounts } from '../store/outbox';
import { getSyncState } from '../store/sync-state';
import { classifyError } from '../sync/failure';
import { tillPaths } from '../sync/provision';
import { queueOriginSetting } from '../sync/queue-origin';
import { runSync, type SyncSummary } from '../sync/run';
import { SyncBusyError } from '../sync/single-flight';
import { dataDir } from './args';

const argv = process.argv.slice(2);
const json = argv.includes('--json');
const dir = dataDir(argv);

function when(ms: number | null): string {
  return ms === null ? 'never' : formatDhakaTime(ms);
}

function status(): number {
  if (!existsSync(tillPaths(dir).db)) {
    console.error(`No till in ${dir}. Install one with: npm run provision -- <bundle.json>`);
    return 2;
  }
  const till = openTill(tillPaths(dir).db);
  try {
    const state = getSyncState(till.deps.db);
    const counts = outboxCounts(till.deps.db);
    const report = {
      till: `${till.id.branch}-${till.id.till}`,
      lastSuccessAt: state.lastSuccessAt,
      lastAttemptAt: state.lastAttemptAt,
      lastError: state.lastError,
      pending: counts.pending,
      queuedNotAcked: counts.queuedNotAcked,
      lastSeq: counts.lastSeq,
    };
    if (json) console.log(JSON.stringify(report));
    else {
      console.log(`Till ${report.till}`);
      console.log(`  last successful sync  ${when(state.lastSuccessAt)}`);
      console.log(`  waiting to send       ${counts.pending} events`);
      console.log(`  sent, not yet at head office (✔)  ${counts.queuedNotAcked} events`);
      if (state.lastError)
        console.log(`  last error            ${when(state.lastError.at)}: ${state.lastError.message}`);
    }
    return 0;
  } finally {
    till.store.close();
  }
}

function printSummary(s: SyncSummary): void {
  if (json) {
    console.log(JSON.stringify(s));
    return;
  }
  console.log('Sync finished.');
  console.log(
    `  pulled     ${s.pull.products} product and ${s.pull.staff} staff changes in ${s.pull.pages} page(s)${s.pull.settingsChanged ? ', new branch settings' : ''}`,
  );
  console.log(`  pushed     ${s.push.sales} sales (${s.push.events} events) in ${s.push.messages} message(s)`);
  console.log(`  confirmed  ${s.pull.acked} events now at head office (✔✔)`);
  if (s.pull.requeued + s.resentStale > 0)
    console.log(`  resent     ${s.pull.requeued + s.resentStale} events head office had not got`);
  console.log(`  waiting    ${s.pending} to send, ${s.queuedNotAcked} sent and not yet confirmed`);
}

async function main(): Promise<number> {
  if (argv.includes('--status')) return status();
  try {
    const summary = await runSync({
      dir,
      ...queueOriginSetting(),
      onProgress: (p) => {
        if (json) return;
        if (p.phase === 'pull') console.error(`pulling… page ${p.pages}, ${p.changes} changes`);
        else if (p.phase === 'push') console.error(`pushing… ${p.messages} message(s), ${p.sales} sales`);
        else console.error(`packed ${p.messages} message(s), ${p.sales} sales, ready to send when head office answers`);
      },
    });
    printSummary(summary);
    return 0;
  } catch (e) {
    if (e instanceof SyncBusyError) {
      console.error('Another sync is already running on this till. It will finish on its own; nothing to do.');
      return 2;
    }
    const failure = classifyError(e);
    if (json)
      console.log(JSON.stringify({ ok: false, kind: failure.kind, reason: failure.advice, detail: failure.detail }));
    console.error(`Sync failed: ${failure.advice}`);
    console.error(`  (${failure.kind}: ${failure.detail})`);
    return failure.kind === 'config' ? 2 : 1;
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
