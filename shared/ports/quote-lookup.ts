/** The last traded price of a symbol, as /watchlist shows it. */
export interface LastPrice {
  readonly price: number;
  /** Change since the previous session's close, in percent; absent when that close is unknown. */
  readonly dayChangePct?: number;
}

/** Reads the latest known price of a symbol (the Quotes table in the pipeline). */
export interface QuoteLookup {
  /** Resolves undefined when no price is known for `symbol`. */
  lastPrice(symbol: string): Promise<LastPrice | undefined>;
}
