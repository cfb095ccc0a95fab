/** A price at a time (epoch ms). */
export interface PricePoint {
  readonly ts: number;
  readonly price: number;
}

/** Recent prices of a symbol, for charts: minute closes or finer, oldest first. */
export interface PriceHistory {
  pricesBetween(symbol: string, fromTs: number, toTs: number): Promise<PricePoint[]>;
}
