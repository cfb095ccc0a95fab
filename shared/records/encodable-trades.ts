import { isSymbol } from '../domain/symbol.js';
import type { Trade } from '../domain/trade.js';
import { isTradePrice, isTradeSize, PRICE_RULE_TEXT, SIZE_RULE_TEXT } from '../domain/trade-bounds.js';

/**
 * Refuses to encode what no decoder would accept: a symbol outside the shared rule, a price or size
 * outside the trade bounds, a timestamp that is not a positive whole number of milliseconds. The
 * producer validates rows when it parses them, so reaching this is a bug: a RangeError, not a reject.
 */
export function assertEncodable(symbol: string, trades: readonly Trade[]): void {
  if (!isSymbol(symbol)) throw new RangeError(`cannot encode trades of symbol ${JSON.stringify(symbol)}`);
  for (const [index, trade] of trades.entries()) {
    if (!isTradePrice(trade.price)) {
      throw new RangeError(
        `cannot encode trade ${index} of ${symbol}: price ${trade.price}; ${PRICE_RULE_TEXT}`,
      );
    }
    if (!isTradeSize(trade.size)) {
      throw new RangeError(
        `cannot encode trade ${index} of ${symbol}: size ${trade.size}; ${SIZE_RULE_TEXT}`,
      );
    }
    if (!Number.isSafeInteger(trade.ts) || trade.ts <= 0) {
      throw new RangeError(
        `cannot encode trade ${index} of ${symbol}: timestamp ${trade.ts} is not epoch ms`,
      );
    }
  }
}
