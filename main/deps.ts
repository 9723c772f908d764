import type { IdFactory } from '../shared/ids';
import type { WritableDB } from './store/db';

/** What every till use case needs: the database, a clock and an id source. */
export interface TillDeps {
  readonly db: WritableDB;
  readonly now: () => number;
  readonly ids: IdFactory;
}
