import type { FeedSubscription } from '../../shared/ports/market-feed.js';

export interface PlanOptions {
  /** Most symbols the plan allows on the trades channel (Alpaca's free IEX plan: 30); undefined = no limit. */
  readonly maxTradeSymbols: number | undefined;
  /** Subscribe minute bars for the whole market (`bars: ["*"]`). */
  readonly allBars: boolean;
  /** Symbols always on trades (the `--symbols` option), ahead of the watched ones. */
  readonly pinned?: readonly string[];
}

/**
 * What to subscribe to: the most-watched symbols get trades up to the plan's limit (ties broken
 * alphabetically, so the choice is stable between polls); every other watched symbol gets minute bars,
 * or the whole market does with `allBars`.
 */
export function planSubscription(
  counts: ReadonlyMap<string, number>,
  options: PlanOptions,
): FeedSubscription {
  const pinned = [...new Set(options.pinned ?? [])];
  const pinnedSet = new Set(pinned);
  const ranked = [...counts.entries()]
    .filter(([symbol, count]) => count > 0 && !pinnedSet.has(symbol))
    .sort(([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : a > b ? 1 : 0))
    .map(([symbol]) => symbol);
  const all = [...pinned, ...ranked];
  const limit = options.maxTradeSymbols ?? all.length;
  const trades = all.slice(0, limit).sort();
  const rest = all.slice(limit).sort();
  return { trades, bars: options.allBars ? '*' : rest };
}

/** The symbols that `next` adds and removes on one channel, compared with `previous`. */
export function channelDiff(
  previous: readonly string[] | '*',
  next: readonly string[] | '*',
): { readonly add: readonly string[]; readonly remove: readonly string[] } {
  if (previous === next) return { add: [], remove: [] };
  if (next === '*') return { add: ['*'], remove: previous === '*' ? [] : previous };
  if (previous === '*') return { add: next, remove: ['*'] };
  const before = new Set(previous);
  const after = new Set(next);
  return {
    add: next.filter((symbol) => !before.has(symbol)),
    remove: previous.filter((symbol) => !after.has(symbol)),
  };
}
