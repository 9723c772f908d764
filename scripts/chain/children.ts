/**
 * The local chain's child processes: each runs a TypeScript entry point in
 * its own Node process, writes its output to a log file of its own, is
 * waited on until it answers, restarted with a growing pause if it dies on
 * its own, and stopped in the reverse order of starting (SIGTERM, then
 * SIGKILL if it does not stop in time).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ChildSpec {
  /** Short and unique; also the log file's name. */
  readonly name: string;
  /** A .ts entry point, relative to the repository. */
  readonly script: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Resolves true once the child serves; polled until it does. */
  readonly ready: () => Promise<boolean>;
  readonly readyTimeoutMs?: number;
  /**
   * Children started one after another with the same group are stopped
   * together (the tills: none waits on another), not in turn.
   */
  readonly stopGroup?: string;
}

interface Running {
  readonly spec: ChildSpec;
  process: ChildProcess;
  log: WriteStream;
  restarts: number[];
  stopping: boolean;
  /** Resolves once the current process has exited and its output is all read into the log. */
  closed: Promise<void>;
}

const MAX_RESTARTS_PER_MINUTE = 5;
const STOP_GRACE_MS = 10_000;

export class ChildExitedError extends Error {}

export class Supervisor {
  private readonly children: Running[] = [];
  private closing = false;

  constructor(
    private readonly logDir: string,
    private readonly report: (line: string) => void = (line) => console.log(line),
  ) {
    mkdirSync(logDir, { recursive: true });
    // The parts live in process groups of their own, so they would outlive a
    // supervisor that ends without stopping them (an uncaught error): end them.
    process.once('exit', () => {
      for (const child of this.children) {
        const p = child.process;
        if (p.exitCode === null && p.signalCode === null) p.kill('SIGTERM');
      }
    });
  }

  logFile(name: string): string {
    return join(this.logDir, `${name}.log`);
  }

  /** Starts a child and waits until it is ready; a child that exits first fails with the end of its log. */
  async start(spec: ChildSpec): Promise<void> {
    const running: Running = {
      spec,
      process: this.spawn(spec),
      log: this.openLog(spec.name),
      restarts: [],
      stopping: false,
      closed: Promise.resolve(),
    };
    this.pipe(running);
    this.children.push(running);
    await this.waitReady(running);
    this.watch(running);
  }

  /** Stops every child, the last started first. */
  async stopAll(): Promise<void> {
    this.closing = true;
    const reversed = [...this.children].reverse();
    for (let i = 0; i < reversed.length;) {
      const group = reversed[i]!.spec.stopGroup;
      let j = i + 1;
      while (group !== undefined && j < reversed.length && reversed[j]!.spec.stopGroup === group) j++;
      await Promise.all(reversed.slice(i, j).map((child) => this.stop(child)));
      i = j;
    }
    this.children.length = 0;
  }

  pids(): Record<string, number | undefined> {
    return Object.fromEntries(this.children.map((c) => [c.spec.name, c.process.pid]));
  }

  private spawn(spec: ChildSpec): ChildProcess {
    return spawn(process.execPath, ['--import', 'tsx', join(ROOT, spec.script), ...(spec.args ?? [])], {
      cwd: ROOT,
      env: { ...process.env, ...spec.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // A terminal's Ctrl-C goes to its whole process group. Each part has a
      // group of its own, so only the supervisor hears it and stops the parts
      // in order: the tills and the worker while the queue still answers.
      detached: process.platform !== 'win32',
    });
  }

  private openLog(name: string): WriteStream {
    return createWriteStream(this.logFile(name), { flags: 'a' });
  }

  private pipe(child: Running): void {
    child.log.write(`\n--- ${new Date().toISOString()} started (pid ${child.process.pid})\n`);
    child.process.stdout?.pipe(child.log, { end: false });
    child.process.stderr?.pipe(child.log, { end: false });
    const p = child.process;
    child.closed = new Promise((resolve) => p.once('close', () => resolve()));
  }

  private async waitReady(child: Running): Promise<void> {
    const deadline = Date.now() + (child.spec.readyTimeoutMs ?? 60_000);
    let exited: number | null = null;
    const onExit = (code: number | null) => (exited = code ?? -1);
    child.process.once('exit', onExit);
    try {
      while (Date.now() < deadline) {
        if (exited !== null) {
          throw new ChildExitedError(
            `${child.spec.name} exited (code ${exited}) before it was ready; the end of ${this.logFile(child.spec.name)}:\n${this.tail(child.spec.name)}`,
          );
        }
        if (await child.spec.ready().catch(() => false)) return;
        await sleep(150);
      }
      throw new Error(`${child.spec.name} was not ready within ${(child.spec.readyTimeoutMs ?? 60_000) / 1000} s`);
    } finally {
      child.process.off('exit', onExit);
    }
  }

  /** Restarts a child that dies on its own, pausing longer each time; gives up after too many in a minute. */
  private watch(child: Running): void {
    child.process.once('exit', (code, signal) => {
      if (child.stopping || this.closing) return;
      const now = Date.now();
      child.restarts = child.restarts.filter((t) => now - t < 60_000);
      if (child.restarts.length >= MAX_RESTARTS_PER_MINUTE) {
        this.report(
          `${child.spec.name} keeps stopping (${code ?? signal}); not restarting it. See ${this.logFile(child.spec.name)}`,
        );
        return;
      }
      const pause = 500 * 2 ** child.restarts.length;
      child.restarts.push(now);
      this.report(`${child.spec.name} stopped (${code ?? signal}); restarting in ${pause} ms`);
      setTimeout(() => {
        if (child.stopping || this.closing) return;
        child.process = this.spawn(child.spec);
        this.pipe(child);
        this.waitReady(child).then(
          () => this.watch(child),
          (e: unknown) => {
            this.report(`${child.spec.name} did not come back: ${(e as Error).message.split('\n')[0]}`);
            this.watch(child);
          },
        );
      }, pause).unref();
    });
  }

  private async stop(child: Running): Promise<void> {
    child.stopping = true;
    const p = child.process;
    if (p.exitCode === null && p.signalCode === null) {
      p.kill('SIGTERM');
      const timer = setTimeout(() => {
        this.report(`${child.spec.name} did not stop within ${STOP_GRACE_MS / 1000} s of SIGTERM; killing it`);
        p.kill('SIGKILL');
      }, STOP_GRACE_MS);
      await child.closed;
      clearTimeout(timer);
    }
    // 'exit' can come before the last of the output is read: end the log only after 'close'.
    await child.closed;
    await new Promise<void>((resolve) => child.log.end(resolve));
  }

  private tail(name: string, lines = 20): string {
    try {
      return readFileSync(this.logFile(name), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** True once an HTTP GET of the URL answers with a status below 500. */
export function answers(url: string): () => Promise<boolean> {
  return async () => {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status < 500;
  };
}
