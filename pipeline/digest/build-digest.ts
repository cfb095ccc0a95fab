import type { BiggestMove, Digest, DigestBar, DigestRow } from './digest.js';
import type { DigestPeriod } from './digest-period.js';

export interface DigestInput {
  readonly title: string;
  readonly period: DigestPeriod;
  /** Bars per symbol, any order; bars outside the period are ignored. */
  readonly bars: ReadonlyMap<string, readonly DigestBar[]>;
  /** Alerts per symbol in the period; omit to leave the column out. */
  readonly alertCounts?: ReadonlyMap<string, number>;
  /**
   * Length of the aligned windows the biggest move is measured in. Default one hour: the move from
   * an ET hour's first price to its low or high, which is how the Flash Crash is usually quoted
   * (AAPL's 14:00 hour: 251.27 → 199.25, −20.7%).
   */
  readonly moveWindowMs?: number;
}

export const DEFAULT_MOVE_WINDOW_MS = 3_600_000;

/**
 * Builds a digest: for each symbol with bars in the period, the last price, the change over the period,
 * the high and low, the biggest move in any window and the alert count; ranked by absolute change
 * (ties by symbol, so the order is stable).
 */
export function buildDigest(input: DigestInput): Digest {
  const moveWindowMs = input.moveWindowMs ?? DEFAULT_MOVE_WINDOW_MS;
  const rows: DigestRow[] = [];
  const quiet: string[] = [];
  for (const [symbol, all] of input.bars) {
    const bars = all
      .filter((bar) => bar.minute >= input.period.fromTs && bar.minute < input.period.toTs)
      .sort((a, b) => a.minute - b.minute);
    const row = summarise(symbol, bars, moveWindowMs, input.alertCounts);
    if (row === undefined) quiet.push(symbol);
    else rows.push(row);
  }
  rows.sort((a, b) => Math.abs(b.changePct) - Math.abs(a.changePct) || a.symbol.localeCompare(b.symbol));
  return { title: input.title, period: input.period, rows, quiet: quiet.sort() };
}

function summarise(
  symbol: string,
  bars: readonly DigestBar[],
  moveWindowMs: number,
  alertCounts: ReadonlyMap<string, number> | undefined,
): DigestRow | undefined {
  const first = bars[0];
  const lastBar = bars[bars.length - 1];
  if (first === undefined || lastBar === undefined) return undefined;
  let high = first.high;
  let low = first.low;
  for (const bar of bars) {
    if (bar.high > high) high = bar.high;
    if (bar.low < low) low = bar.low;
  }
  return {
    symbol,
    first: first.open,
    last: lastBar.close,
    changePct: pct(first.open, lastBar.close),
    high,
    low,
    biggestMove: biggestMove(bars, moveWindowMs),
    alerts: alertCounts === undefined ? undefined : (alertCounts.get(symbol) ?? 0),
    closes: bars.map((bar) => ({ ts: bar.minute, price: bar.close })),
  };
}

/** Windows are aligned to multiples of their length since the epoch: whole hours are whole ET hours. */
function biggestMove(bars: readonly DigestBar[], lengthMs: number): BiggestMove {
  let best: BiggestMove | undefined;
  let start = Number.NaN;
  let open = 0;
  let high = 0;
  let low = 0;
  const consider = () => {
    for (const extreme of [low, high]) {
      const move = pct(open, extreme);
      if (best === undefined || Math.abs(move) > Math.abs(best.pct)) {
        best = { pct: move, fromTs: start, lengthMs, fromPrice: open, toPrice: extreme };
      }
    }
  };
  for (const bar of bars) {
    const windowStart = bar.minute - (bar.minute % lengthMs);
    if (windowStart !== start) {
      if (!Number.isNaN(start)) consider();
      start = windowStart;
      open = bar.open;
      high = bar.high;
      low = bar.low;
    } else {
      if (bar.high > high) high = bar.high;
      if (bar.low < low) low = bar.low;
    }
  }
  consider();
  return best as BiggestMove;
}

function pct(from: number, to: number): number {
  return ((to - from) / from) * 100;
}
