import type { Watch } from '../../../shared/domain/watch.js';
import { WINDOWS } from '../../../shared/domain/window.js';
import type { LastPrice } from '../../../shared/ports/quote-lookup.js';
import type { LiveMode } from '../../../shared/ports/watched-symbols.js';
import type { CommandContext } from '../command-context.js';
import type { CommandResult, WatchlistEntry } from '../command-result.js';

/** Lists the user's watches, with the last price of each symbol when the core has a quote lookup. */
export async function executeWatchlist(context: CommandContext, userKey: string): Promise<CommandResult> {
  const watches = [...(await context.watches.listByUser(userKey))].sort(bySymbolThenWindow);
  const prices = await lastPrices(
    context,
    watches.map((watch) => watch.symbol),
  );
  const live = await liveModes(context, watches);
  const entries = watches.map((watch): WatchlistEntry => {
    const lastPrice = prices.get(watch.symbol);
    const mode = live.get(watch.symbol);
    return {
      watch,
      ...(lastPrice !== undefined && { lastPrice }),
      ...(mode !== undefined && { live: mode }),
    };
  });
  return { kind: 'watchlist', entries, maxWatchesPerUser: context.maxWatchesPerUser };
}

/**
 * Prices decorate the list; a failing lookup must not hide the list itself, so a symbol whose lookup
 * fails is shown without a price and the failure is logged.
 */
async function lastPrices(
  context: CommandContext,
  symbols: readonly string[],
): Promise<Map<string, LastPrice>> {
  const prices = new Map<string, LastPrice>();
  const { quotes } = context;
  if (quotes === undefined) return prices;
  await Promise.all(
    [...new Set(symbols)].map(async (symbol) => {
      try {
        const price = await quotes.lastPrice(symbol);
        if (price !== undefined) prices.set(symbol, price);
      } catch (error) {
        context.logger?.warn('quote lookup failed', { symbol, error: String(error) });
      }
    }),
  );
  return prices;
}

/** Like prices, the live column decorates the list: a failing lookup leaves it out. */
async function liveModes(
  context: CommandContext,
  watches: readonly Watch[],
): Promise<ReadonlyMap<string, LiveMode>> {
  try {
    return (await context.liveFeed?.modes(watches.map((watch) => watch.symbol))) ?? new Map();
  } catch (error) {
    context.logger?.warn('live feed status lookup failed', { error: String(error) });
    return new Map();
  }
}

function bySymbolThenWindow(a: Watch, b: Watch): number {
  if (a.symbol !== b.symbol) return a.symbol < b.symbol ? -1 : 1;
  return WINDOWS.indexOf(a.window) - WINDOWS.indexOf(b.window);
}
