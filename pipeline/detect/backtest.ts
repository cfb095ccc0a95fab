import type { Alert } from '../../shared/domain/alert.js';
import type { Watch } from '../../shared/domain/watch.js';
import type { MarketRow, RejectedRow } from '../market-data/index.js';
import { MoveDetector } from './move-detector.js';

export interface BacktestOptions {
  readonly watches: readonly Watch[];
  /** The bad-tick filter, on unless `false` (`--no-tick-filter`). */
  readonly tickFilter: boolean;
  readonly onAlert: (alert: Alert) => void;
  readonly onReject?: (reject: RejectedRow) => void;
  /** Stops reading when aborted; the summary covers what was read. */
  readonly signal?: AbortSignal;
}

export interface BacktestSummary {
  readonly trades: number;
  /** Trades of watched symbols (the others are read and skipped). */
  readonly watchedTrades: number;
  readonly rejectedRows: number;
  readonly alerts: number;
  readonly badTicksDropped: number;
  readonly firstTs: number | undefined;
  readonly lastTs: number | undefined;
  readonly stopped: boolean;
}

/**
 * Runs the detector modules in-process over market-data rows (ticks, or bars already expanded to
 * trades), exactly as the Lambda decides: same MoveDetector, same bad-tick filter, same state machines.
 * Each symbol must come in time order; files may interleave symbols or hold them one after another.
 */
export async function runBacktest(
  rows: AsyncIterable<MarketRow>,
  options: BacktestOptions,
): Promise<BacktestSummary> {
  const detector = new MoveDetector({ tickFilter: options.tickFilter });
  const bySymbol = new Map<string, Watch[]>();
  for (const watch of options.watches) {
    const list = bySymbol.get(watch.symbol);
    if (list === undefined) bySymbol.set(watch.symbol, [watch]);
    else list.push(watch);
  }
  const fired: Alert[] = [];
  let trades = 0;
  let watchedTrades = 0;
  let rejectedRows = 0;
  let alerts = 0;
  let firstTs: number | undefined;
  let lastTs: number | undefined;
  let stopped = false;
  for await (const row of rows) {
    if (options.signal?.aborted) {
      stopped = true;
      break;
    }
    if ('reject' in row) {
      rejectedRows += 1;
      options.onReject?.(row.reject);
      continue;
    }
    const trade = row.trade;
    trades += 1;
    if (firstTs === undefined || trade.ts < firstTs) firstTs = trade.ts;
    if (lastTs === undefined || trade.ts > lastTs) lastTs = trade.ts;
    const watches = bySymbol.get(trade.symbol);
    if (watches === undefined) continue;
    watchedTrades += 1;
    detector.onTradeInto(trade, watches, fired);
    for (const alert of fired) options.onAlert(alert);
    alerts += fired.length;
    fired.length = 0;
  }
  return {
    trades,
    watchedTrades,
    rejectedRows,
    alerts,
    badTicksDropped: detector.droppedTicks,
    firstTs,
    lastTs,
    stopped,
  };
}
