import type { Trade } from '../../shared/domain/trade.js';
import { isTradePrice, isTradeSize } from '../../shared/domain/trade-bounds.js';
import { MarketDataError, type MarketDataOptions } from './market-data-options.js';
import { badPrice, badSize, badSymbol, badTimestamp, NOT_A_SYMBOL, RowFields } from './row-fields.js';

/**
 * Reads the data rows of a CSV market-data file (RFC 4180 quoting) into trades. Tick rows without
 * quotes, the bulk of any feed, take a fast path that cuts out only the four fields used.
 * Build it from the header line with {@link CsvRowReader.fromHeader}.
 */
export class CsvRowReader {
  private readonly at: RowFields['at'];
  private readonly columnCount: number;
  private readonly readTs: RowFields['readTs'];
  private readonly commas: Int32Array;

  private constructor(readonly fields: RowFields) {
    this.at = fields.at;
    this.columnCount = fields.columnCount;
    this.readTs = fields.readTs;
    this.commas = new Int32Array(fields.columnCount);
  }

  /** Reads the header line (trimmed, not blank). Throws MarketDataError when no layout fits. */
  static fromHeader(text: string, options: MarketDataOptions): CsvRowReader {
    const names = splitCsv(text).map((name) => name.trim());
    if (names.some((name) => /^-?\d+(\.\d+)?$/.test(name))) {
      throw new MarketDataError(
        `the first line "${text.slice(0, 120)}" looks like data, not a header: add a header line such as symbol,timestamp,price,size`,
      );
    }
    return new CsvRowReader(new RowFields(names, options));
  }

  /** Appends the trades of one data line to `out`; returns the reason when the row is rejected. */
  readLine(text: string, out: Trade[]): string | undefined {
    if (text.includes('"')) {
      const fields = splitCsv(text);
      if (fields.length !== this.columnCount)
        return `expected ${this.columnCount} columns, found ${fields.length}`;
      return this.fields.fromValues(fields, out);
    }
    if (this.fields.kind === 'bars') {
      const fields = text.split(',');
      if (fields.length !== this.columnCount)
        return `expected ${this.columnCount} columns, found ${fields.length}`;
      return this.fields.fromValues(fields, out);
    }
    // Ticks are the bulk of any feed: find the commas and cut out only the four fields used.
    const commas = this.commas;
    let count = 0;
    for (let at = text.indexOf(','); at !== -1; at = text.indexOf(',', at + 1)) {
      if (count < commas.length) commas[count] = at;
      count += 1;
    }
    if (count + 1 !== this.columnCount) return `expected ${this.columnCount} columns, found ${count + 1}`;
    // Positions, not sliced fields, and no closures: tsx names every arrow function it creates, and
    // both cost more than the parsing itself.
    const at = this.at;
    const symbolAt = at.symbol as number;
    const symbol = this.fields.symbolIn(
      text,
      fieldStart(commas, symbolAt),
      fieldEnd(text, commas, count, symbolAt),
    );
    if (symbol === '') return 'missing symbol';
    if (symbol === NOT_A_SYMBOL) return badSymbol(cut(text, commas, count, symbolAt));
    const tsAt = at.timestamp as number;
    const ts = this.readTs(text, fieldStart(commas, tsAt), fieldEnd(text, commas, count, tsAt));
    if (ts === undefined) return badTimestamp(cut(text, commas, count, tsAt));
    const priceAt = at.price as number;
    const price = parseDecimal(text, fieldStart(commas, priceAt), fieldEnd(text, commas, count, priceAt));
    if (!isTradePrice(price)) return badPrice('price', cut(text, commas, count, priceAt));
    const sizeAt = at.size;
    const size =
      sizeAt === undefined
        ? 0
        : parseDecimal(text, fieldStart(commas, sizeAt), fieldEnd(text, commas, count, sizeAt));
    if (!isTradeSize(size)) return badSize('size', cut(text, commas, count, sizeAt));
    out.push({ symbol, ts, price, size });
    return undefined;
  }
}

/** Field `index` of a line whose `count` commas are at `commas`. */
function cut(text: string, commas: Int32Array, count: number, index: number | undefined): string | undefined {
  if (index === undefined) return undefined;
  return text.slice(fieldStart(commas, index), fieldEnd(text, commas, count, index));
}

function fieldStart(commas: Int32Array, index: number): number {
  return index === 0 ? 0 : (commas[index - 1] as number) + 1;
}

function fieldEnd(text: string, commas: Int32Array, count: number, index: number): number {
  return index === count ? text.length : (commas[index] as number);
}

/**
 * `text[start, end)` as a number, NaN when empty or not a number. Plain decimals of up to 15 digits
 * are read by hand: the digits form an exact integer, and one division by a power of ten rounds
 * correctly, so the result is the same double Number() gives. Anything else goes to Number().
 */
export function parseDecimal(text: string, start: number, end: number): number {
  if (start >= end) return Number.NaN;
  let i = start;
  const negative = text.charCodeAt(i) === 45;
  if (negative) i += 1;
  let value = 0;
  let digitCount = 0;
  let decimals = -1;
  for (; i < end; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      value = value * 10 + code - 48;
      digitCount += 1;
      if (decimals >= 0) decimals += 1;
    } else if (code === 46 && decimals < 0) decimals = 0;
    else return generalNumber(text.slice(start, end));
  }
  if (digitCount === 0 || digitCount > 15) return generalNumber(text.slice(start, end));
  const scaled = decimals > 0 ? value / (POWERS_OF_TEN[decimals] as number) : value;
  return negative ? -scaled : scaled;
}

/** Number() for what the fast path leaves (exponents, spaces around, long digit runs); blank is NaN. */
function generalNumber(field: string): number {
  return field.trim() === '' ? Number.NaN : Number(field);
}

const POWERS_OF_TEN = Array.from({ length: 16 }, (_, i) => 10 ** i);

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
