import type { Trade } from '../../shared/domain/trade.js';
import { expandBar } from './bar-expansion.js';
import { type ColumnLayout, detectColumns } from './column-layout.js';
import {
  DEFAULT_TIMEZONE,
  MarketDataError,
  type MarketDataOptions,
  type MarketField,
  parseBarLength,
} from './market-data-options.js';
import { createTimestampReader, fromEpochNumber, type TimestampReader } from './timestamp-reader.js';

/**
 * Parses the rows of one CSV or NDJSON market-data file into trades, synchronously and without
 * per-row allocation beyond the trades, so a producer can run it at the speed of gunzip.
 * Build it from the file's first line with {@link MarketDataParser.fromFirstLine}.
 */
export class MarketDataParser {
  readonly kind: ColumnLayout['kind'];
  private readonly readTs: TimestampReader;
  private readonly barMs: number;
  private readonly columnCount: number;
  private readonly at: Readonly<Partial<Record<MarketField, number>>>;

  private constructor(
    readonly format: 'csv' | 'ndjson',
    private readonly names: readonly string[],
    options: MarketDataOptions,
  ) {
    const layout = detectColumns(names, options);
    this.kind = layout.kind;
    this.at = layout.index;
    this.columnCount = names.length;
    this.readTs = createTimestampReader(options.timezone ?? DEFAULT_TIMEZONE);
    this.barMs = layout.kind === 'bars' ? parseBarLength(options.barLength as string) : 0;
  }

  /**
   * Reads the first line: a CSV header, or an NDJSON object whose keys name the fields (that line is
   * then data too, so `firstLineIsData` is true). Throws MarketDataError when no layout fits.
   */
  static fromFirstLine(
    firstLine: string,
    options: MarketDataOptions = {},
  ): { parser: MarketDataParser; firstLineIsData: boolean } {
    const text = firstLine.replace(/^\uFEFF/, '').trim();
    if (text.startsWith('{')) {
      const object = parseObject(text);
      if (object === undefined) {
        throw new MarketDataError(`the first line is not a JSON object: "${text.slice(0, 120)}"`);
      }
      return { parser: new MarketDataParser('ndjson', Object.keys(object), options), firstLineIsData: true };
    }
    if (text === '') throw new MarketDataError('the first line is empty: a CSV file needs a header line');
    const names = splitCsv(text).map((name) => name.trim());
    if (names.some((name) => /^-?\d+(\.\d+)?$/.test(name))) {
      throw new MarketDataError(
        `the first line "${text.slice(0, 120)}" looks like data, not a header: add a header line such as symbol,timestamp,price,size`,
      );
    }
    return { parser: new MarketDataParser('csv', names, options), firstLineIsData: false };
  }

  /**
   * Parses one data line, appending its trades (one for a tick,
   * four for a bar) to `out`. Returns the reason when the row is rejected; blank lines give nothing.
   */
  parseLine(text: string, out: Trade[]): string | undefined {
    if (text.length === 0 || (text.length < 3 && text.trim() === '')) return undefined;
    let fields: readonly unknown[];
    if (this.format === 'ndjson') {
      const object = parseObject(text);
      if (object === undefined) return 'not a JSON object';
      fields = this.names.map((name) => object[name]);
    } else {
      fields = text.includes('"') ? splitCsv(text) : text.split(',');
      if (fields.length !== this.columnCount) {
        return `expected ${this.columnCount} columns, found ${fields.length}`;
      }
    }
    const symbol = this.text(fields, 'symbol').toUpperCase();
    if (symbol === '') return 'missing symbol';
    const rawTs = fields[this.at.timestamp as number];
    const ts = typeof rawTs === 'number' ? fromEpochNumber(rawTs) : this.readTs(String(rawTs ?? ''));
    if (ts === undefined) {
      return `bad timestamp "${String(rawTs ?? '')}": use ISO-8601 (naive times are read in --timezone) or epoch seconds/ms`;
    }
    if (this.kind === 'ticks') {
      const price = this.number(fields, 'price');
      if (!(price > 0)) return `bad price "${this.text(fields, 'price')}": must be a positive number`;
      const size = this.at.size === undefined ? 0 : this.number(fields, 'size');
      if (!(size >= 0)) return `bad size "${this.text(fields, 'size')}": must be a non-negative number`;
      out.push({ symbol, ts, price, size });
      return undefined;
    }
    const open = this.number(fields, 'open');
    const high = this.number(fields, 'high');
    const low = this.number(fields, 'low');
    const close = this.number(fields, 'close');
    for (const [field, value] of [
      ['open', open],
      ['high', high],
      ['low', low],
      ['close', close],
    ] as const) {
      if (!(value > 0)) return `bad ${field} "${this.text(fields, field)}": must be a positive number`;
    }
    if (high < Math.max(open, close, low) || low > Math.min(open, close)) {
      return `inconsistent bar: high ${high} and low ${low} must bracket open ${open} and close ${close}`;
    }
    const volume = this.at.volume === undefined ? 0 : this.number(fields, 'volume');
    if (!(volume >= 0)) return `bad volume "${this.text(fields, 'volume')}": must be a non-negative number`;
    expandBar({ symbol, ts, open, high, low, close, volume }, this.barMs, out);
    return undefined;
  }

  private text(fields: readonly unknown[], field: MarketField): string {
    const value = fields[this.at[field] as number];
    return value === undefined || value === null ? '' : String(value).trim();
  }

  /** NaN for anything that is not a number, including an empty field. */
  private number(fields: readonly unknown[], field: MarketField): number {
    const value = fields[this.at[field] as number];
    if (typeof value === 'number') return value;
    if (typeof value !== 'string' || value.trim() === '') return Number.NaN;
    return Number(value);
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Splits one CSV line with RFC 4180 quoting (`"a,b"`, `""` for a quote). */
export function splitCsv(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields;
}
