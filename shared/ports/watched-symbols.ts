/** How many watches each symbol has: the feed subscribes to what is watched, most-watched first. */
export interface WatchedSymbols {
  /** Every watched symbol with its number of watches (only symbols with at least one). */
  counts(): Promise<Map<string, number>>;
}

/** How a symbol is fed live right now. */
export type LiveMode = 'trades' | 'bars';

/** What the running feed connector subscribed to, for /watchlist. */
export interface LiveFeedStatus {
  /** The live mode of each of `symbols` that is fed; empty when no feed connector is running. */
  modes(symbols: readonly string[]): Promise<ReadonlyMap<string, LiveMode>>;
}
