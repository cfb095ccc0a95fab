import { MoveDetector, type MoveDetectorOptions } from '../../pipeline/detect/move-detector.js';
import type { Alert } from '../../shared/domain/alert.js';
import type { Trade } from '../../shared/domain/trade.js';
import type { Watch } from '../../shared/domain/watch.js';
import type { WindowName } from '../../shared/domain/window.js';
import type { ReferenceAlert } from './reference-detector.js';

/** Every (threshold, window) pair as one `both` watch per symbol, the way the handler would pass them. */
export function gridWatches(
  symbols: Iterable<string>,
  thresholds: readonly number[],
  windows: readonly WindowName[],
): Map<string, Watch[]> {
  const watches = new Map<string, Watch[]>();
  for (const symbol of symbols) {
    watches.set(
      symbol,
      thresholds.flatMap((thresholdPct) =>
        windows.map((window) => ({
          userKey: `oracle:${thresholdPct}`,
          symbol,
          thresholdPct,
          window,
          direction: 'both' as const,
          hours: 'all' as const,
          createdAt: 0,
        })),
      ),
    );
  }
  return watches;
}

/** Runs the streaming detector over `trades` in the order given and returns its alerts. */
export function streamingAlerts(
  trades: readonly Trade[],
  watches: ReadonlyMap<string, readonly Watch[]>,
  options: MoveDetectorOptions,
): Alert[] {
  const detector = new MoveDetector(options);
  const alerts: Alert[] = [];
  for (const trade of trades) detector.onTradeInto(trade, watches.get(trade.symbol) ?? [], alerts);
  return alerts;
}

/** The fields the semantics define, for comparing with the oracle. */
export function comparable(alert: Alert | ReferenceAlert): ReferenceAlert {
  const { symbol, window, direction, thresholdPct, level, movePct, fromPrice, fromTs, toPrice, toTs } = alert;
  return { symbol, window, direction, thresholdPct, level, movePct, fromPrice, fromTs, toPrice, toTs };
}

/** A stable order for comparing alert lists decided in different orders. */
export function sortAlerts(alerts: readonly ReferenceAlert[]): ReferenceAlert[] {
  const key = (a: ReferenceAlert) =>
    [
      a.symbol,
      a.window,
      a.thresholdPct.toFixed(4).padStart(10, '0'),
      a.direction,
      String(a.toTs),
      String(a.level).padStart(4, '0'),
    ].join('|');
  return [...alerts].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
