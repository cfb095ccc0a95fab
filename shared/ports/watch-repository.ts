import type { Watch } from '../domain/watch.js';
import type { WindowName } from '../domain/window.js';

/** Where watches live. One user's list, and "who watches this symbol". */
export interface WatchRepository {
  /** Creates the watch, or replaces the user's watch on the same symbol and window. */
  put(watch: Watch): Promise<void>;
  /** Removes one watch (with `window`) or all of the user's watches on `symbol`; returns how many went. */
  remove(userKey: string, symbol: string, window?: WindowName): Promise<number>;
  listByUser(userKey: string): Promise<Watch[]>;
  listBySymbol(symbol: string): Promise<Watch[]>;
}
