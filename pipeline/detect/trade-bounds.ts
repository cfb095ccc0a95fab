import type { KinesisStreamRecord } from 'aws-lambda';
import type { Trade } from '../../shared/domain/trade.js';
import { SYMBOL_PATTERN } from '../../shared/domain/watch.js';
import { RecordDecodeError } from '../../shared/records/record-decode-error.js';

/**
 * What the detector accepts as a trade. A decodable record can still carry nonsense (issue 10,
 * finding 5): a price of 1e308 or 1e-300, a time of 1e17 or in the year 9999, a 3,000-character symbol.
 * Such a record threw inside the handler and, after the retries, took every good record of its batch to
 * the dead letters; a year-9999 print also became its symbol's "now", so the real trades after it looked
 * like a rewind, the symbol was reset and a real alert was lost.
 */
export const TRADE_BOUNDS = {
  /** Sub-penny stocks print at $0.0001; nothing lists above $10 M a share. */
  minPrice: 1e-4,
  maxPrice: 1e7,
  /** Shares in one print: the largest real block prints are millions. */
  maxSize: 1e10,
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
  if (!(price >= TRADE_BOUNDS.minPrice && price <= TRADE_BOUNDS.maxPrice)) {
    return `price ${price} is outside ${TRADE_BOUNDS.minPrice}..${TRADE_BOUNDS.maxPrice}`;
  }
  if (!(size >= 0 && size <= TRADE_BOUNDS.maxSize)) {
    return `size ${size} is outside 0..${TRADE_BOUNDS.maxSize}`;
  }
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
      if (!SYMBOL_PATTERN.test(trade.symbol)) {
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
