import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BranchCode } from '../../shared/ids';
import { openTill, type Till } from '../open-till';
import { listStaff } from '../store/staff';
import { seedShop } from '../testing/fixtures';

/** A database that is neither provisioned nor the demo: the person starting the till must say which. */
export class TillNotProvisionedError extends Error {
  constructor(path: string) {
    super(
      `${path} is not a till database yet. Provision it with --branch CODE --till N, or try the demo shop with --demo.`,
    );
    this.name = 'TillNotProvisionedError';
  }
}

export interface TillFileOptions {
  /** Provisions a new database as this till. */
  readonly branch?: string;
  readonly till?: number;
  /** A new database given no branch becomes the demo shop (never a provisioned till's file). */
  readonly demo?: boolean;
  readonly log?: (line: string) => void;
}

/**
 * Opens the till database a host or the desktop app runs on. Asked for the
 * demo, a new file given no branch becomes the demo shop DHK01 till 1 with
 * its catalogue and staff (PINs 1234 and 9876), so a till can be tried before
 * head office provisions it; never without being asked, since those PINs are
 * public.
 */
export function openTillFile(path: string, options: TillFileOptions = {}): Till {
  const log = options.log ?? console.log;
  mkdirSync(dirname(path), { recursive: true });
  const fresh = !existsSync(path);
  const demo = fresh && !options.branch && options.demo === true;
  if (fresh && !options.branch && !demo) {
    throw new TillNotProvisionedError(path);
  }
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
