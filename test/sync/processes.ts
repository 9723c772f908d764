import { spawn } from 'node:child_process';

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `haat-sync` as staff would, in its own process. With `kill`, sends it
 * SIGKILL `delayMs` after its output first shows `after` (or after start).
 */
export function haatSync(args: string[], kill?: { after?: string; delayMs: number }): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/sync.ts', ...args], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | null = null;
    const arm = () => {
      if (kill && !timer) timer = setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
    };
    if (kill && !kill.after) arm();
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (kill?.after && stderr.includes(kill.after)) arm();
    });
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
