import type { Trade } from '../../shared/domain/trade.js';

/** The fields a market-data file can have; `--columns` names the header column of each. */
export const MARKET_FIELDS = [
  'symbol',
  'timestamp',
  'price',
  'size',
  'open',
  'high',
  'low',
  'close',
  'volume',
] as const;
export type MarketField = (typeof MARKET_FIELDS)[number];

/** How to read a market-data file. Every option is optional; the header decides the rest. */
export interface MarketDataOptions {
  /** Length of each OHLCV bar (`1m`, `5m`, `1h`, `1d`, `30s`); required when the file holds bars. */
  readonly barLength?: string;
  /** Header column for a field, when the header's own names are not recognised (`{ symbol: 'Name' }`). */
  readonly columns?: Readonly<Partial<Record<MarketField, string>>>;
  /** IANA zone in which naive timestamps are read. Default `America/New_York`. */
  readonly timezone?: string;
  /** Longest line kept, in bytes; a longer one is a rejected row. Default 64 KiB (see byte-lines.ts). */
  readonly maxLineBytes?: number;
}

export const DEFAULT_TIMEZONE = 'America/New_York';

/** A row that cannot become trades, with its 1-based line number and a reason a person can act on. */
export interface RejectedRow {
  readonly line: number;
  readonly reason: string;
}

/** One trade of the file (a bar gives four, all with the bar's line) or one rejected row. */
export type MarketRow = { readonly trade: Trade; readonly line: number } | { readonly reject: RejectedRow };

/** The file cannot be read as market data at all (no usable header, bars without a bar length, bad option). */
export class MarketDataError extends Error {
  override readonly name = 'MarketDataError';
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `1m` → 60000. Throws MarketDataError saying what to write instead. */
export function parseBarLength(text: string): number {
  const match = /^(\d+)\s*(s|m|h|d)$/i.exec(text.trim());
  const ms = match ? Number(match[1]) * (UNIT_MS[(match[2] as string).toLowerCase()] as number) : 0;
  if (!(ms >= 3)) {
    throw new MarketDataError(
      `bar length "${text}" is not a duration: write a number and a unit, like 1m, 5m, 1h or 1d`,
    );
  }
  return ms;
}

/** `symbol=Name,timestamp=date` → `{ symbol: 'Name', timestamp: 'date' }`. Throws MarketDataError. */
export function parseColumnsOption(text: string): Partial<Record<MarketField, string>> {
  const columns: Partial<Record<MarketField, string>> = {};
  for (const pair of text.split(',')) {
    const [field, header, extra] = pair.split('=').map((part) => part.trim());
    if (!field || !header || extra !== undefined || !(MARKET_FIELDS as readonly string[]).includes(field)) {
      throw new MarketDataError(
        `--columns "${text}": write field=HeaderName pairs separated by commas, like symbol=Name,timestamp=date; fields are ${MARKET_FIELDS.join(', ')}`,
      );
    }
    columns[field as MarketField] = header;
  }
  return columns;
}
