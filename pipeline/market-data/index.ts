/**
 * Reading market-data files (trade ticks or OHLCV bars, CSV or NDJSON, plain or gzip) into trades.
 * Shared by the producer and the backtest.
 */
export { type Bar, expandBar } from './bar-expansion.js';
export {
  DEFAULT_MAX_LINE_BYTES,
  type LineOptions,
  type LineSource,
  linesFromBytes,
  TruncatedInputError,
} from './byte-lines.js';
export { detectColumns } from './column-layout.js';
export {
  DEFAULT_TIMEZONE,
  MARKET_FIELDS,
  MarketDataError,
  type MarketDataOptions,
  type MarketField,
  type MarketRow,
  parseBarLength,
  parseColumnsOption,
  type RejectedRow,
} from './market-data-options.js';
export { MarketDataParser } from './market-data-parser.js';
export { openFileLines } from './open-file-lines.js';
export { readMarketData } from './read-market-data.js';
export { OverlongLine, type SourceLine } from './source-line.js';
export { createTimestampReader } from './timestamp-reader.js';
