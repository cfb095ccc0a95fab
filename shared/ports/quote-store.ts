/**
 * One minute of a symbol's accepted trades. The times of the open, high, low and close are kept so
 * that a cold start can put the extremes back into the rolling windows at the times they traded.
 */
export interface MinuteBar {
  readonly symbol: string;
  /** Start of the minute, epoch ms. */
  readonly minute: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly openTs: number;
  readonly highTs: number;
  readonly lowTs: number;
  readonly closeTs: number;
}

/** The latest state of a symbol as the detector leaves it after a batch. */
export interface QuoteSnapshot {
  readonly symbol: string;
  /** Last accepted price and its time. */
  readonly price: number;
  readonly ts: number;
  /** The New York calendar day of `ts`, `YYYY-MM-DD`. */
  readonly day: string;
  /** First price, extremes and volume of that day (every session). */
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly volume: number;
  /** Last price of the previous day with trades, when known. */
  readonly previousClose?: number;
  /** The minute still open at `ts` (not yet written as its own bar). */
  readonly openBar: MinuteBar;
  /** Alert level per watch and direction (only those above 0), as of `ts`. */
  readonly levels: Readonly<Record<string, number>>;
}

/**
 * Where the detector keeps quotes and minute bars (the Quotes table). It writes them as it goes and
 * reads them back to restore its rolling windows after a cold start.
 */
export interface QuoteStore {
  /** One write per symbol: the caller passes at most one snapshot per symbol per batch. */
  saveQuotes(quotes: readonly QuoteSnapshot[]): Promise<void>;
  /** Closed minutes. Writing a bar again overwrites it with the same values. */
  saveMinuteBars(bars: readonly MinuteBar[]): Promise<void>;
  loadQuote(symbol: string): Promise<QuoteSnapshot | undefined>;
  /** Bars with `fromMinute ≤ minute < toMinute`, oldest first. */
  minuteBarsBetween(symbol: string, fromMinute: number, toMinute: number): Promise<MinuteBar[]>;
}
