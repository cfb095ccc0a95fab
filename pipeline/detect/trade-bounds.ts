import type { KinesisStreamRecord } from 'aws-lambda';
import { isSymbol, SYMBOL_PATTERN } from '../../shared/domain/symbol.js';
import type { Trade } from '../../shared/domain/trade.js';
import {
  isTradePrice,
  isTradeSize,
  PRICE_RULE_TEXT,
  SIZE_RULE_TEXT,
} from '../../shared/domain/trade-bounds.js';
import { RecordDecodeError } from '../../shared/records/record-decode-error.js';

/**
 * What the detector accepts as a trade. A decodable record can still carry nonsense (issue 10,
 * finding 5): a price of 1e308 or 1e-300, a time of 1e17 or in the year 9999, a 3,000-character symbol.
 * Such a record threw inside the handler and, after the retries, took every good record of its batch to
 * the dead letters; a year-9999 print also became its symbol's "now", so the real trades after it looked
 * like a rewind, the symbol was reset and a real alert was lost.
 *
 * Price and size are the shared bounds (`shared/domain/trade-bounds.ts`), the ones the producer's parser
 * and every encoder and decoder apply: a trade the producer sends is never one the detector refuses. Only
 * the checks that need the stream are the detector's own: the time against the record's arrival, and the
 * symbol rule (`shared/domain/symbol.ts`) for records a third-party producer wrote.
 */
export const TRADE_BOUNDS = {
  /**
   * How far a trade's time may be ahead of its record's arrival in the stream. A print cannot arrive
   * before it happens, so only clock skew puts it ahead, and that is seconds. Trades behind the arrival
   * time are fine however old: a replay of a historical file is all in the past.
   */
  maxAheadOfArrivalMs: 5 * 60_000,
} as const;

/** The stream's clock for a record: its approximate arrival time (epoch seconds in the event). */
export function arrivalMs(record: KinesisStreamRecord): number {
  return record.kinesis.approximateArrivalTimestamp * 1000;
}

/** Why `trade` is out of bounds, in words for the log and the dead letter; undefined when it is fine. */
export function tradeOutOfBounds(trade: Trade, arrivedAtMs: number): string | undefined {
  const { price, size, ts } = trade;
  // The decoders already hold trades to these bounds; checked again so that this answer stands alone.
  if (!isTradePrice(price)) return `price ${price} is out of bounds; ${PRICE_RULE_TEXT}`;
  if (!isTradeSize(size)) return `size ${size} is out of bounds; ${SIZE_RULE_TEXT}`;
  // A record without a usable arrival time is judged against nothing but the finite time range.
  const latest = Number.isFinite(arrivedAtMs) ? arrivedAtMs + TRADE_BOUNDS.maxAheadOfArrivalMs : 8.64e15;
  if (!(ts > 0 && ts <= latest)) {
    return `time ${ts} is more than ${TRADE_BOUNDS.maxAheadOfArrivalMs / 60_000} minutes after the record arrived (${arrivedAtMs})`;
  }
  return undefined;
}

/**
 * The trades of one record, if every one is in bounds; otherwise throws RecordDecodeError, so the
 * shared poison path (decodeOrDivert) diverts the record and the rest of the batch goes on. The symbol
 * must have the shape `/watch` accepts (no watch can name anything else).
 */
export function tradesInBounds(trades: Trade[], arrivedAtMs: number): Trade[] {
  let checkedSymbol: string | undefined;
  for (let i = 0; i < trades.length; i += 1) {
    const trade = trades[i] as Trade;
    if (trade.symbol !== checkedSymbol) {
      if (!isSymbol(trade.symbol)) {
        const shown =
          trade.symbol.length > 20
            ? `${trade.symbol.slice(0, 20)}… (${trade.symbol.length} characters)`
            : trade.symbol;
        throw new RecordDecodeError(`trade ${i}: symbol "${shown}" is not a ticker (${SYMBOL_PATTERN})`);
      }
      checkedSymbol = trade.symbol;
    }
    const problem = tradeOutOfBounds(trade, arrivedAtMs);
    if (problem !== undefined) throw new RecordDecodeError(`trade ${i}: ${problem}`);
  }
  return trades;
}
