import { resolve } from 'node:path';

/** The till's data folder: `--data <dir>`, else HAAT_TILL_DIR, else .data/till under the working folder. */
export function dataDir(argv: readonly string[]): string {
  const i = argv.indexOf('--data');
  const fromFlag = i >= 0 ? argv[i + 1] : undefined;
  return resolve(fromFlag ?? process.env.HAAT_TILL_DIR ?? '.data/till');
}

export function positional(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--data') i++;
    else if (!a.startsWith('--')) out.push(a);
  }
  return out;
}
