import { existsSync } from 'node:fs';
import { openFileLines, readMarketData } from '../../pipeline/market-data/index.js';
import type { Trade } from '../../shared/domain/trade.js';

/** The real market data, from the project root (see ../shared/data/README.md). */
export const TICK_FILE = '../shared/data/us-equity-trades-2013-10-07_11.csv.gz';
export const HOUR_BAR_FILE = '../shared/data/us-equity-hour-bars-1998-2021.csv.gz';
export const MINUTE_BAR_FILE = '../shared/data/us-equity-minute-bars-sample.csv.gz';

/** True when the file is there; otherwise says which tests skip and why. */
export function haveDataFile(path: string, what: string): boolean {
  if (existsSync(path)) return true;
  console.warn(
    `${path} is absent: skipping ${what}. Put the shared market data beside the project to run them.`,
  );
  return false;
}

/**
 * The trades of a market-data file with `fromTs ≤ ts < toTs`, in file order. The tick file is sorted by
 * time, so reading stops at the first trade past `toTs` when `sortedByTime` is set.
 */
export async function readTrades(
  path: string,
  options: { barLength?: string; fromTs?: number; toTs?: number; sortedByTime?: boolean } = {},
): Promise<Trade[]> {
  const source = await openFileLines(path);
  const from = options.fromTs ?? Number.NEGATIVE_INFINITY;
  const to = options.toTs ?? Number.POSITIVE_INFINITY;
  const trades: Trade[] = [];
  const rows = readMarketData(
    source.batches,
    options.barLength === undefined ? {} : { barLength: options.barLength },
  );
  for await (const row of rows) {
    if (!('trade' in row)) throw new Error(`unexpected bad row in ${path}: ${row.reject.reason}`);
    const ts = row.trade.ts;
    if (ts >= to) {
      if (options.sortedByTime) break;
      continue;
    }
    if (ts >= from) trades.push(row.trade);
  }
  return trades;
}

/** Trades grouped by symbol, each group in the order given. */
export function bySymbol(trades: readonly Trade[]): Map<string, Trade[]> {
  const groups = new Map<string, Trade[]>();
  for (const trade of trades) {
    let group = groups.get(trade.symbol);
    if (group === undefined) {
      group = [];
      groups.set(trade.symbol, group);
    }
    group.push(trade);
  }
  return groups;
}
