import type { Trade } from '../../shared/domain/trade.js';

/** An alert as the semantics define it, without the watcher and the id. */
export interface ReferenceAlert {
  readonly symbol: string;
  readonly window: string;
  readonly direction: 'up' | 'down';
  readonly thresholdPct: number;
  readonly level: number;
  readonly movePct: number;
  readonly fromPrice: number;
  readonly fromTs: number;
  readonly toPrice: number;
  readonly toTs: number;
}

/**
 * The alert semantics written out as plainly as possible, as an oracle for the streaming detector:
 * for every trade, scan back over every earlier trade of the window (O(n·w)), take the highest and
 * the lowest price (the latest trade among equals), compute the moves, and run one state machine per
 * threshold and direction. `trades` are one symbol's, in time order.
 */
export function referenceAlerts(
  trades: readonly Trade[],
  windowName: string,
  windowMs: number,
  thresholds: readonly number[],
): ReferenceAlert[] {
  const n = trades.length;
  const ts = Float64Array.from(trades, (trade) => trade.ts);
  const price = Float64Array.from(trades, (trade) => trade.price);
  const alerts: ReferenceAlert[] = [];
  const downLevel = thresholds.map(() => 0);
  const upLevel = thresholds.map(() => 0);
  for (let i = 0; i < n; i += 1) {
    const now = ts[i] as number;
    let high = price[i] as number;
    let highTs = now;
    let low = high;
    let lowTs = now;
    // A trade at t is in the window when now − W ≤ t ≤ now; walking back, the first of equal prices is the latest.
    for (let j = i - 1; j >= 0 && (ts[j] as number) >= now - windowMs; j -= 1) {
      const p = price[j] as number;
      if (p > high) {
        high = p;
        highTs = ts[j] as number;
      }
      if (p < low) {
        low = p;
        lowTs = ts[j] as number;
      }
    }
    const p = price[i] as number;
    const down = ((high - p) / high) * 100;
    const up = ((p - low) / low) * 100;
    thresholds.forEach((threshold, k) => {
      const base = { symbol: trades[i]?.symbol as string, window: windowName, thresholdPct: threshold };
      const toTrade = { toPrice: p, toTs: now };
      downLevel[k] = step(downLevel[k] as number, down, threshold, (level) =>
        alerts.push({
          ...base,
          direction: 'down',
          level,
          movePct: down,
          fromPrice: high,
          fromTs: highTs,
          ...toTrade,
        }),
      );
      upLevel[k] = step(upLevel[k] as number, up, threshold, (level) =>
        alerts.push({
          ...base,
          direction: 'up',
          level,
          movePct: up,
          fromPrice: low,
          fromTs: lowTs,
          ...toTrade,
        }),
      );
    });
  }
  return alerts;
}

/** One state machine step: alert at (level + 1) × θ and go to floor(move / θ); re-arm under θ / 2. */
function step(level: number, move: number, threshold: number, alert: (level: number) => void): number {
  if (move >= (level + 1) * threshold) {
    // floor(move / θ) can round below level + 1 when move sits exactly on a multiple of θ.
    const next = Math.max(level + 1, Math.floor(move / threshold));
    alert(next);
    return next;
  }
  if (move < threshold / 2) return 0;
  return level;
}
