/**
 * A line as long as a branch's to the cloud, in a process of its own: a TCP
 * proxy to 127.0.0.1:<target-port> that holds every byte <delay-ms> each
 * way. A process of its own, so that the line keeps its time however busy
 * the process that talks through it is, as the internet would. Prints the
 * port it listens on, then runs until it is killed.
 *
 *   tsx scripts/delay-line.ts <target-port> <delay-ms>
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startTcpProxy } from './tcp-proxy';

const SELF = fileURLToPath(import.meta.url);

export interface DelayLine {
  readonly port: number;
  close(): Promise<void>;
}

/** Starts the line as a child process and resolves once it listens. */
export async function startDelayLine(targetPort: number, delayMs: number): Promise<DelayLine> {
  const child = spawn(process.execPath, ['--import', 'tsx', SELF, String(targetPort), String(delayMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => resolve(Number(line)));
    child.once('exit', (code) => reject(new Error(`the delay line exited (${code}) before it listened`)));
  });
  return {
    port,
    async close() {
      child.kill();
      await exited;
    },
  };
}

async function main(): Promise<void> {
  const [target, delay] = process.argv.slice(2).map(Number);
  if (!Number.isInteger(target) || !Number.isFinite(delay)) {
    throw new Error('usage: tsx scripts/delay-line.ts <target-port> <delay-ms>');
  }
  const proxy = await startTcpProxy({ port: target as number }, 0, { delayMs: delay as number });
  console.log(proxy.port);
}

if (process.argv[1] === SELF) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
