import type { Trade } from '../../shared/domain/trade.js';

/** One OHLCV bar starting at `ts` (epoch ms). */
export interface Bar {
  readonly symbol: string;
  readonly ts: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/**
 * Expands a bar of length `lengthMs` into four trades as DESIGN.md defines: open at t0; for a down bar
 * (close < open) high at t0+d/3 then low at t0+2d/3, otherwise low then high; close at t0+d−1ms.
 * The volume is shared out in whole shares, the remainder on the close, so the trades sum to the bar.
 */
export function expandBar(bar: Bar, lengthMs: number, out: Trade[]): void {
  const third = Math.round(lengthMs / 3);
  const down = bar.close < bar.open;
  const share = Math.floor(bar.volume / 4);
  const { symbol, ts } = bar;
  out.push({ symbol, ts, price: bar.open, size: share });
  out.push({ symbol, ts: ts + third, price: down ? bar.high : bar.low, size: share });
  out.push({ symbol, ts: ts + 2 * third, price: down ? bar.low : bar.high, size: share });
  out.push({ symbol, ts: ts + lengthMs - 1, price: bar.close, size: bar.volume - 3 * share });
}
