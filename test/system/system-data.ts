import { seededRandom } from '../../pipeline/demo/seeded-random.js';
import type { Trade } from '../../shared/domain/trade.js';
import type { Direction, MarketHours, Watch } from '../../shared/domain/watch.js';
import type { WindowName } from '../../shared/domain/window.js';
import { HOUR_BAR_FILE, readTrades, TICK_FILE } from '../oracle/market-data-files.js';

/** A family of watches: which symbols, windows and thresholds it draws from. */
export interface WatchMix {
  readonly symbols: readonly string[];
  readonly windows: readonly WindowName[];
  readonly thresholds: readonly number[];
}

/**
 * `count` watches drawn by `seed` from the mixes, spread over Discord and Slack users (a few watches a
 * user). Returns the Discord users' watches apart, so some can go through the bot's /watch.
 */
export function seedWatches(seed: number, count: number, mixes: readonly WatchMix[]): Watch[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const directions: Direction[] = ['both', 'both', 'up', 'down'];
  const hours: MarketHours[] = ['all', 'all', 'regular'];
  const watches = new Map<string, Watch>();
  for (let i = 0; watches.size < count && i < count * 20; i += 1) {
    const user = Math.floor(i / 3);
    const userKey =
      user % 2 === 0
        ? `discord:${String(600000000000000000n + BigInt(user))}`
        : `slack:T0FAKE0001:U0SYS${String(user).padStart(5, '0')}`;
    const mix = pick(mixes);
    const watch: Watch = {
      userKey,
      symbol: pick(mix.symbols),
      window: pick(mix.windows),
      thresholdPct: pick(mix.thresholds),
      direction: pick(directions),
      hours: pick(hours),
      createdAt: 0,
    };
    // One watch per user, symbol and window, as the Watches table keys it.
    watches.set(`${userKey}|${watch.symbol}|${watch.window}`, watch);
  }
  return [...watches.values()];
}

export const TICK_MIX: WatchMix = {
  symbols: ['SPY', 'AIG', 'BAC', 'IBM'],
  windows: ['1m', '5m', '15m'],
  thresholds: [0.1, 0.15, 0.2, 0.3, 0.5],
};

export const BAR_MIX: WatchMix = {
  symbols: ['SPY', 'AAPL', 'AIG', 'BAC', 'IBM', 'VXX'],
  windows: ['1h', '1d'],
  thresholds: [1.5, 2, 3, 5, 8, 15],
};

/** Hourly bars (as trades) with `fromTs ≤ ts < toTs`. */
export async function barTrades(periods: readonly (readonly [string, string])[]): Promise<Trade[]> {
  const all = await readTrades(HOUR_BAR_FILE, { barLength: '1h' });
  const ranges = periods.map(([from, to]) => [Date.parse(from), Date.parse(to)] as const);
  return all.filter((trade) => ranges.some(([from, to]) => trade.ts >= from && trade.ts < to));
}

export function tickTrades(from: string, to: string): Promise<Trade[]> {
  return readTrades(TICK_FILE, { fromTs: Date.parse(from), toTs: Date.parse(to), sortedByTime: true });
}

/** Merges time-ordered lists into one time-ordered list (stable: file order among equal times). */
export function byTime(...lists: readonly (readonly Trade[])[]): Trade[] {
  return lists.flat().sort((a, b) => a.ts - b.ts);
}
