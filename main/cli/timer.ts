/**
 * The till's sync timer without the app, for shops that close the till at
 * night but leave the machine on:
 *
 *   npm run timer -- [--data <dir>]
 *
 * Syncs on the branch's schedule and as soon as the network comes back;
 * prints one line whenever the state changes. Ctrl-C stops it cleanly.
 */
import { formatDhakaTime } from '../../shared/format';
import { createTillTimer } from '../timer/till-timer';
import type { SyncStatus } from '../timer/timer-service';
import { dataDir } from './args';

function line(s: SyncStatus): string {
  const state = s.running ? 'syncing' : s.online === null ? 'not yet synced' : s.online ? 'online' : 'offline';
  const parts = [
    state,
    `${s.pending} to send`,
    `${s.queuedNotAcked} awaiting head office`,
    `last sync ${s.lastSuccessAt ? formatDhakaTime(s.lastSuccessAt) : 'never'}`,
  ];
  if (s.nextRunAt) parts.push(`next ${formatDhakaTime(s.nextRunAt)}`);
  if (s.lastError && !s.running) parts.push(`last error: ${s.lastError.message}`);
  return parts.join(' · ');
}

const dir = dataDir(process.argv.slice(2));
let last = '';
const timer = createTillTimer(dir, {
  onStatus(s) {
    const text = line(s);
    if (text !== last) console.log(`${new Date().toISOString()}  ${text}`);
    last = text;
  },
});
timer.start();
console.log(`Sync timer running for ${dir}. Ctrl-C to stop.`);
const stop = () => {
  console.log('Stopping after the current sync…');
  timer.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
