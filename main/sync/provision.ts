import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BranchCode } from '../../shared/ids';
import { parseProvisioningBundle, type ProvisioningBundle } from '../../shared/wire/provisioning';
import { openTill } from '../open-till';
import { SyncFailure } from './failure';

/**
 * A till's data folder: its database and the credentials head office issued
 * for it. Secrets live in their own file, readable by the owner only.
 */
export interface TillPaths {
  readonly dir: string;
  readonly db: string;
  readonly credentials: string;
}

export function tillPaths(dir: string): TillPaths {
  return { dir, db: join(dir, 'till.sqlite'), credentials: join(dir, 'credentials.json') };
}

/**
 * Installs a till from the bundle head office issued: creates (or checks)
 * its database for that branch and till, and stores the signing key and pull
 * token owner-only. Reinstalling the same till's newer bundle replaces the
 * credentials; a bundle for another till is refused.
 */
export function provisionTill(dir: string, bundleText: string, now = Date.now()): ProvisioningBundle {
  let raw: unknown;
  try {
    raw = JSON.parse(bundleText);
  } catch {
    throw new Error('the provisioning file is not JSON; use the file head office issued, unchanged');
  }
  const parsed = parseProvisioningBundle(raw);
  if (!parsed.ok) throw new Error(`the provisioning file is not valid: ${parsed.error.field}: ${parsed.error.reason}`);
  const bundle = parsed.value;
  const paths = tillPaths(dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const till = openTill(paths.db, {
    identity: { branch: bundle.branch as BranchCode, till: bundle.till },
    now: () => now,
  });
  till.store.close();
  const tmp = `${paths.credentials}.tmp`;
  writeFileSync(tmp, JSON.stringify(bundle, null, 2), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, paths.credentials);
  return bundle;
}

export function loadCredentials(dir: string): ProvisioningBundle {
  const paths = tillPaths(dir);
  if (!existsSync(paths.credentials)) {
    throw new SyncFailure('config', `no credentials in ${dir}; run: npm run provision -- <bundle.json>`);
  }
  const parsed = parseProvisioningBundle(JSON.parse(readFileSync(paths.credentials, 'utf8')));
  if (!parsed.ok) throw new SyncFailure('config', `credentials in ${dir} are damaged: ${parsed.error.field}`);
  return parsed.value;
}
