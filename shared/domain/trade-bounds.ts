/**
 * The prices and sizes a trade may carry, checked wherever trades enter (the market-data parser, every
 * trades-record decoder) and wherever they are written (every encoder). `!(price > 0)` let `1e309` and
 * `Infinity` through; the binary codec then carried Infinity and packed JSON became invalid.
 *
 * The bounds are outside any real print (the dearest US share, BRK.A, trades under $1M; OTC equities
 * below $0.0001 trade in $0.000001 steps, FINRA Rule 6434; sub-penny blocks run to billions of shares)
 * but inside what the codecs represent exactly: a price times 10^9 stays an exact double, and a size
 * fits a varint. They are the only price and size bounds: the detector applies these too, so nothing
 * the producer sends is dropped downstream (docs/architecture.md, "One set of bounds").
 */
export const MIN_PRICE = 1e-6;
export const MAX_PRICE = 1e7;
export const MAX_SIZE = 1e12;

/** A finite price within [MIN_PRICE, MAX_PRICE] (NaN and ±Infinity are not). */
export function isTradePrice(value: unknown): value is number {
  return typeof value === 'number' && value >= MIN_PRICE && value <= MAX_PRICE;
}

/** A finite size within [0, MAX_SIZE]. */
export function isTradeSize(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= MAX_SIZE;
}

export const PRICE_RULE_TEXT = `a price is a number from ${MIN_PRICE} to ${MAX_PRICE}`;
export const SIZE_RULE_TEXT = `a size is a number from 0 to ${MAX_SIZE}`;
