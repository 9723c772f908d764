/**
 * The chaos run's child processes: each a TypeScript entry point in a Node
 * process of its own, its output in a log file, its stdout read line by line.
 * Unlike the local chain's supervisor (`scripts/chain/children.ts`), which
 * gives up on a part that keeps dying, these are killed on purpose, often:
 * the caller decides when one comes back, and every exit it did not cause is
 * counted as a crash.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { setPriority } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Every child still running; none outlives the run, even one that ends on an uncaught error. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface ProcSpec {
  readonly name: string;
  /** A .ts entry point relative to the repository (run with tsx), or an absolute path to a bundled .cjs. */
  readonly script: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly logDir: string;
  readonly onLine?: (line: string) => void;
  /** Scheduling priority (os.setPriority: 0 normal, up to 19 for the least). */
  readonly priority?: number;
}

export class Proc {
  private child: ChildProcess | null = null;
  private log: WriteStream;
  private killedByUs = false;
  /** Exits nobody asked for. */
  crashes = 0;
  starts = 0;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> = Promise.resolve({
    code: null,
    signal: null,
  });

  constructor(readonly spec: ProcSpec) {
    this.log = createWriteStream(this.logFile, { flags: 'a' });
  }

  get logFile(): string {
    return join(this.spec.logDir, `${this.spec.name}.log`);
  }

  get alive(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    if (this.alive) return;
    this.killedByUs = false;
    this.starts++;
    const entry = this.spec.script.endsWith('.cjs')
      ? [this.spec.script]
      : ['--import', 'tsx', join(ROOT, this.spec.script)];
    const child = spawn(process.execPath, [...entry, ...(this.spec.args ?? [])], {
      cwd: ROOT,
      env: { ...process.env, ...this.spec.env, FORCE_COLOR: '0' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    running.add(child);
    if (this.spec.priority !== undefined && child.pid !== undefined) {
      try {
        setPriority(child.pid, this.spec.priority);
      } catch {
        // It ended already, or the system would not; it runs at normal priority.
      }
    }
    this.log.write(`--- ${new Date().toISOString()} started (pid ${child.pid})\n`);
    child.stdin?.on('error', () => undefined);
    child.stderr?.pipe(this.log, { end: false });
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      this.log.write(`${line}\n`);
      this.spec.onLine?.(line);
    });
    const closed = new Promise<void>((resolve) => lines.once('close', () => resolve()));
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        running.delete(child);
        if (!this.killedByUs) this.crashes++;
        // Every line the child wrote is read before anyone hears it ended.
        void closed.then(() => {
          this.log.write(`--- exited (${code ?? signal})${this.killedByUs ? '' : ' on its own'}\n`);
          resolve({ code, signal });
        });
      }),
    );
  }

  /** Sends a signal; the exit is ours, not a crash. */
  kill(signal: NodeJS.Signals): void {
    if (!this.alive) return;
    this.killedByUs = true;
    this.child!.kill(signal);
  }

  /** An exit the process chose for itself (it finished): not a crash either. */
  expectExit(): void {
    this.killedByUs = true;
  }

  send(line: string): void {
    if (this.alive) this.child!.stdin?.write(`${line}\n`);
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.alive) {
      this.kill('SIGTERM');
      const timer = setTimeout(() => this.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.stop();
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
  }

  tail(lines = 15): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}
