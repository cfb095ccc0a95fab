import type { Watch } from '../../../shared/domain/watch.js';
import { WINDOWS } from '../../../shared/domain/window.js';
import type { LastPrice } from '../../../shared/ports/quote-lookup.js';
import type { LiveMode } from '../../../shared/ports/watched-symbols.js';
import type { WatchlistCommand } from '../command.js';
import type { CommandContext } from '../command-context.js';
import type { CommandResult, WatchlistEntry } from '../command-result.js';

/**
 * Watches shown per page of `/watchlist`. At the default limit (50) the whole list is one page; at a
 * large configured limit (up to 1,000) a page stays one Slack message (about 3,500 of its 40,000
 * characters) and two Discord messages of 2,000, instead of 62 KB of text or 32 messages.
 */
export const WATCHLIST_PAGE_SIZE = 50;

/**
 * Lists one page of the user's watches, with the last price of each symbol on it when the core has a
 * quote lookup. A page past the end shows the last page.
 */
export async function executeWatchlist(
  context: CommandContext,
  userKey: string,
  command: WatchlistCommand = { kind: 'watchlist' },
): Promise<CommandResult> {
  const watches = [...(await context.watches.listByUser(userKey))].sort(bySymbolThenWindow);
  const pageCount = Math.max(1, Math.ceil(watches.length / WATCHLIST_PAGE_SIZE));
  const page = Math.min(command.page ?? 1, pageCount);
  const shown = watches.slice((page - 1) * WATCHLIST_PAGE_SIZE, page * WATCHLIST_PAGE_SIZE);
  const prices = await lastPrices(
    context,
    shown.map((watch) => watch.symbol),
  );
  const live = await liveModes(context, shown);
  const entries = shown.map((watch): WatchlistEntry => {
    const lastPrice = prices.get(watch.symbol);
    const mode = live.get(watch.symbol);
    return {
      watch,
      ...(lastPrice !== undefined && { lastPrice }),
      ...(mode !== undefined && { live: mode }),
    };
  });
  return {
    kind: 'watchlist',
    entries,
    maxWatchesPerUser: context.maxWatchesPerUser,
    ...(pageCount > 1 ? { total: watches.length, page, pageCount } : {}),
  };
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
        context.logger?.warn('quote lookup failed', { symbol, error });
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
