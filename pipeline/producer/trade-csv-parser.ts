import type { Trade } from '../../shared/domain/trade.js';

/** A row that cannot become a trade, with the reason a person can act on. */
export interface RejectedRow {
  readonly line: number;
  readonly reason: string;
}

export type RowResult = { readonly trade: Trade } | { readonly reject: RejectedRow };

/** The file cannot be read as trades at all (for example the header lacks a required column). */
export class TradeFileError extends Error {
  override readonly name = 'TradeFileError';
}

const REQUIRED = ['symbol', 'timestamp', 'price', 'size'] as const;

/**
 * Parses trade-tick CSV rows with the columns of the real tick file
 * (`symbol,timestamp,price,size[,exchange,conditions,suspicious]`, in any order; extra columns ignored).
 * Timestamps are ISO-8601 with an offset or `Z`, or epoch milliseconds.
 */
export class TradeCsvParser {
  private readonly index: Record<(typeof REQUIRED)[number], number>;
  private readonly columnCount: number;

  constructor(headerLine: string) {
    const header = headerLine
      .replace(/^\uFEFF/, '')
      .split(',')
      .map((name) => name.trim().toLowerCase());
    const missing = REQUIRED.filter((name) => !header.includes(name));
    if (missing.length > 0) {
      throw new TradeFileError(
        `the header "${headerLine.slice(0, 120)}" lacks the column(s) ${missing.join(', ')}; a trades file needs ${REQUIRED.join(',')}`,
      );
    }
    this.columnCount = header.length;
    this.index = {
      symbol: header.indexOf('symbol'),
      timestamp: header.indexOf('timestamp'),
      price: header.indexOf('price'),
      size: header.indexOf('size'),
    };
  }

  /** Parses data line `lineNumber` (1-based, header = 1). */
  parse(text: string, lineNumber: number): RowResult {
    const fields = text.split(',');
    if (fields.length !== this.columnCount) {
      return reject(lineNumber, `expected ${this.columnCount} columns, found ${fields.length}`);
    }
    const symbol = (fields[this.index.symbol] as string).trim().toUpperCase();
    if (symbol === '') return reject(lineNumber, 'missing symbol');
    const rawTs = (fields[this.index.timestamp] as string).trim();
    const ts = parseTimestamp(rawTs);
    if (ts === undefined) {
      return reject(
        lineNumber,
        `bad timestamp "${rawTs}": use ISO-8601 with an offset or epoch milliseconds`,
      );
    }
    const rawPrice = fields[this.index.price] as string;
    const price = Number(rawPrice);
    if (!Number.isFinite(price) || price <= 0 || rawPrice.trim() === '') {
      return reject(lineNumber, `bad price "${rawPrice}": must be a positive number`);
    }
    const rawSize = fields[this.index.size] as string;
    const size = Number(rawSize);
    if (!Number.isFinite(size) || size < 0 || rawSize.trim() === '') {
      return reject(lineNumber, `bad size "${rawSize}": must be a non-negative number`);
    }
    return { trade: { symbol, ts, price, size } };
  }
}

function parseTimestamp(text: string): number | undefined {
  // 12+ digits: epoch seconds (10 digits today) would otherwise be read as milliseconds in 1970.
  if (/^\d{12,16}$/.test(text)) return Number(text);
  // A naive time would silently be read in this machine's zone; require an explicit offset.
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(text)) return undefined;
  const ts = Date.parse(text);
  return Number.isNaN(ts) ? undefined : ts;
}

function reject(line: number, reason: string): RowResult {
  return { reject: { line, reason } };
}
