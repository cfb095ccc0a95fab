import type { MinuteBar, QuoteSnapshot, QuoteStore } from '../../shared/ports/quote-store.js';

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
