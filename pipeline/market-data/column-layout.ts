import { MarketDataError, type MarketDataOptions, type MarketField } from './market-data-options.js';

/** Which kind of rows a file holds, and where each field is (index into the header's names). */
export interface ColumnLayout {
  readonly kind: 'ticks' | 'bars';
  readonly index: Readonly<Partial<Record<MarketField, number>>>;
}

/** Names vendors use, compared after lower-casing and dropping everything but letters and digits. */
const ALIASES: Record<MarketField, readonly string[]> = {
  symbol: ['symbol', 'ticker', 'name', 'sym', 'root', 'instrument', 'security', 'code'],
  timestamp: [
    'timestamp',
    'timestampet',
    'timestamputc',
    'barstartet',
    'barstart',
    'bartime',
    'datetime',
    'time',
    'date',
    'ts',
    'tradetime',
    'participanttimestamp',
    'siptimestamp',
  ],
  price: ['price', 'tradeprice', 'last', 'lastprice', 'px', 'p'],
  size: ['size', 'tradesize', 'qty', 'quantity', 'shares', 's'],
  open: ['open', 'openprice', 'o'],
  high: ['high', 'highprice', 'h'],
  low: ['low', 'lowprice', 'l'],
  close: ['close', 'closeprice', 'c'],
  volume: ['volume', 'vol', 'v'],
};

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Finds the fields among a header's column names (or an NDJSON object's keys): explicit `columns`
 * first, then the vendor names above. Ticks need symbol, timestamp and price (size defaults to 0);
 * bars need symbol, timestamp, open, high, low and close (volume defaults to 0) and a bar length.
 */
export function detectColumns(names: readonly string[], options: MarketDataOptions): ColumnLayout {
  const normalized = names.map(normalizeName);
  const index: Partial<Record<MarketField, number>> = {};
  for (const [field, header] of Object.entries(options.columns ?? {})) {
    const at = normalized.indexOf(normalizeName(header));
    if (at < 0) {
      throw new MarketDataError(
        `--columns ${field}=${header}: the header has no column "${header}" (it has ${names.join(', ')})`,
      );
    }
    index[field as MarketField] = at;
  }
  const taken = new Set(Object.values(index));
  for (const field of Object.keys(ALIASES) as MarketField[]) {
    if (index[field] !== undefined) continue;
    for (const alias of ALIASES[field]) {
      const at = normalized.indexOf(alias);
      if (at >= 0 && !taken.has(at)) {
        index[field] = at;
        taken.add(at);
        break;
      }
    }
  }
  // A tick file may call its size "volume"; a bar file always has open/high/low/close.
  const isBars = index.price === undefined && index.open !== undefined && index.close !== undefined;
  if (!isBars && index.size === undefined && index.volume !== undefined) index.size = index.volume;
  const required: readonly MarketField[] = isBars
    ? ['symbol', 'timestamp', 'open', 'high', 'low', 'close']
    : ['symbol', 'timestamp', 'price'];
  const missing = required.filter((field) => index[field] === undefined);
  if (missing.length > 0) {
    const example = missing.map((field) => `${field}=<header name>`).join(',');
    throw new MarketDataError(
      `cannot find the ${missing.join(', ')} column(s) among "${names.join(',').slice(0, 160)}": ` +
        `a file needs a header with symbol, timestamp and price (ticks) or open, high, low, close (bars); ` +
        `name the columns with --columns ${example}`,
    );
  }
  if (isBars && options.barLength === undefined) {
    throw new MarketDataError(
      `the file holds OHLCV bars (${names.join(',').slice(0, 120)}): say how long each bar is with --bar-length, like --bar-length 1m, 1h or 1d`,
    );
  }
  return { kind: isBars ? 'bars' : 'ticks', index };
}
