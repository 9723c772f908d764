import { randomFillSync } from 'node:crypto';
import { createIdFactory, type TillId } from '../shared/ids';
import { pooledRandomBytes } from '../shared/uuid';
import type { TillDeps } from './deps';
import { openStore, type Store } from './store/db';
import { getTillIdentity, setTillIdentity } from './store/till';

export interface Till {
  readonly store: Store;
  readonly deps: TillDeps;
  readonly id: TillId;
}

export interface OpenTillOptions {
  /** Provisions a new database as this till; an existing one must match. */
  readonly identity?: TillId;
  readonly now?: () => number;
}

/** Opens a till's database with its clock and id source, ready for the use cases. */
export function openTill(path: string, options: OpenTillOptions = {}): Till {
  const store = openStore(path);
  const now = options.now ?? Date.now;
  try {
    if (options.identity) setTillIdentity(store.write, options.identity, now());
    const id = getTillIdentity(store.write);
    if (!id) throw new Error(`${path} is not provisioned as a till yet; open it with an identity first`);
    const deps: TillDeps = {
      db: store.write,
      now,
      ids: createIdFactory(
        now,
        pooledRandomBytes((pool) => randomFillSync(pool)),
      ),
    };
    return { store, deps, id };
  } catch (e) {
    store.close();
    throw e;
  }
}
