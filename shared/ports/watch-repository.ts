import type { Watch } from '../domain/watch.js';
import type { WindowName } from '../domain/window.js';

/** What `save` did: created a new watch, replaced the one on the same symbol and window, or refused. */
export type SaveWatchOutcome =
  | { readonly kind: 'created' }
  | { readonly kind: 'replaced'; readonly previous: Watch }
  | { readonly kind: 'full'; readonly limit: number };

/** Where watches live. One user's list, and "who watches this symbol". */
export interface WatchRepository {
  /** Creates the watch, or replaces the user's watch on the same symbol and window; no limit. */
  put(watch: Watch): Promise<void>;
  /**
   * Replaces the user's watch on the same symbol and window (keeping its `createdAt`), or creates it
   * only while the user has fewer than `maxPerUser` watches. Atomic: concurrent saves never leave more
   * than `maxPerUser`.
   */
  save(watch: Watch, maxPerUser: number): Promise<SaveWatchOutcome>;
  /** Removes one watch (with `window`) or all of the user's watches on `symbol`; returns how many went. */
  remove(userKey: string, symbol: string, window?: WindowName): Promise<number>;
  listByUser(userKey: string): Promise<Watch[]>;
  listBySymbol(symbol: string): Promise<Watch[]>;
}
