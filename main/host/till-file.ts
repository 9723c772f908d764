import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BranchCode } from '../../shared/ids';
import { openTill, type Till } from '../open-till';
import { listStaff } from '../store/staff';
import { seedShop } from '../testing/fixtures';

export interface TillFileOptions {
  /** Provisions a new database as this till. */
  readonly branch?: string;
  readonly till?: number;
  readonly log?: (line: string) => void;
}

/**
 * Opens the till database a host or the desktop app runs on. A new file
 * given no branch becomes the demo shop DHK01 till 1 with the demo catalogue
 * and staff, so a till can be tried before head office provisions it.
 */
export function openTillFile(path: string, options: TillFileOptions = {}): Till {
  const log = options.log ?? console.log;
  mkdirSync(dirname(path), { recursive: true });
  const demo = !existsSync(path) && !options.branch;
  const identity = options.branch
    ? { branch: options.branch as BranchCode, till: options.till ?? 1 }
    : demo
      ? { branch: 'DHK01' as BranchCode, till: 1 }
      : undefined;
  const till = openTill(path, identity ? { identity } : {});
  if (demo) {
    seedShop(till);
    log('New till database: seeded the demo shop (cashier PIN 1234, manager PIN 9876).');
  } else if (listStaff(till.store.read).length === 0) {
    log('This till has no staff yet: nobody can sign in until head office data is pulled.');
  }
  return till;
}
