import type { MinuteBar, QuoteSnapshot, QuoteStore } from '../../shared/ports/quote-store.js';
import type { SymbolState } from './symbol-state.js';

const DAY_MS = 24 * 3_600_000;

/** What an earlier process left for a symbol: its last quote and the day of minute bars before it. */
export interface ColdState {
  readonly snapshot: QuoteSnapshot | undefined;
  readonly bars: readonly MinuteBar[];
}

/**
 * Reads what a cold detector needs to restore a symbol (see MoveDetector.restore): one GetItem for its
 * quote and one Query for the minute bars of the day before it, the longest window.
 */
export async function loadColdState(store: QuoteStore, symbol: string): Promise<ColdState> {
  const snapshot = await store.loadQuote(symbol);
  if (snapshot === undefined) return { snapshot, bars: [] };
  const from = snapshot.ts - DAY_MS - (snapshot.ts % 60_000);
  return { snapshot, bars: await store.minuteBarsBetween(symbol, from, snapshot.openBar.minute) };
}

/**
 * Puts what {@link loadColdState} read into a fresh `state` (see MoveDetector.restore): the minute bars'
 * open, high, low and close back into the windows at the times they traded, then the quote's levels,
 * the filter's prevailing price and the open minute.
 */
export function restoreInto(
  state: SymbolState,
  snapshot: QuoteSnapshot,
  bars: readonly MinuteBar[],
  firstTs: number,
): void {
  for (const bar of [...bars.filter((b) => b.minute < snapshot.openBar.minute), snapshot.openBar]) {
    const points = [
      [bar.openTs, bar.open],
      [bar.highTs, bar.high],
      [bar.lowTs, bar.low],
      [bar.closeTs, bar.close],
    ].sort((a, b) => (a[0] as number) - (b[0] as number));
    for (const [ts, price] of points as [number, number][]) {
      state.latestTs = Math.max(state.latestTs, ts);
      state.push(state.latestTs, price);
    }
  }
  state.latestTs = Math.max(state.latestTs, snapshot.ts);
  // Levels are as of the snapshot: valid for trades after it, not for a redelivery of older ones.
  if (firstTs >= snapshot.ts) state.seedLevels = new Map(Object.entries(snapshot.levels));
  state.filter?.seed(snapshot.price, snapshot.ts);
  state.quote?.restore(snapshot);
}
