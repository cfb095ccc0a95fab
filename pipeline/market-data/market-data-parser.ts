import { readSymbol, SYMBOL_RULE_TEXT } from '../../shared/domain/symbol.js';
import type { Trade } from '../../shared/domain/trade.js';
import {
  isTradePrice,
  isTradeSize,
  PRICE_RULE_TEXT,
  SIZE_RULE_TEXT,
} from '../../shared/domain/trade-bounds.js';
import { expandBar } from './bar-expansion.js';
import { type ColumnLayout, detectColumns } from './column-layout.js';
import {
  DEFAULT_TIMEZONE,
  MarketDataError,
  type MarketDataOptions,
  type MarketField,
  parseBarLength,
} from './market-data-options.js';
import { OverlongLine, type SourceLine } from './source-line.js';
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
  private readonly commas: Int32Array;

  private constructor(
    readonly format: 'csv' | 'ndjson',
    private readonly names: readonly string[],
    options: MarketDataOptions,
  ) {
    const layout = detectColumns(names, options);
    this.kind = layout.kind;
    this.at = layout.index;
    this.columnCount = names.length;
    this.commas = new Int32Array(names.length);
    this.readTs = createTimestampReader(options.timezone ?? DEFAULT_TIMEZONE);
    this.barMs = layout.kind === 'bars' ? parseBarLength(options.barLength as string) : 0;
  }

  /**
   * Reads the first line: a CSV header, or an NDJSON object whose keys name the fields (that line is
   * then data too, so `firstLineIsData` is true). Throws MarketDataError when no layout fits.
   */
  static fromFirstLine(
    firstLine: SourceLine,
    options: MarketDataOptions = {},
  ): { parser: MarketDataParser; firstLineIsData: boolean } {
    if (firstLine instanceof OverlongLine) {
      throw new MarketDataError(`the first line is ${firstLine.reason}`);
    }
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
   * Parses one data line, appending its trades (one for a tick, four for a bar) to `out`. Returns the
   * reason when the row is rejected; blank lines give nothing.
   */
  parseLine(line: SourceLine, out: Trade[]): string | undefined {
    if (line instanceof OverlongLine) return line.reason;
    const text = line;
    if (text.length === 0 || (text.length < 3 && text.trim() === '')) return undefined;
    if (this.format === 'ndjson') {
      const object = parseObject(text);
      if (object === undefined) return 'not a JSON object';
      return this.parseFields(
        this.names.map((name) => object[name]),
        out,
      );
    }
    if (text.includes('"')) {
      const fields = splitCsv(text);
      if (fields.length !== this.columnCount)
        return `expected ${this.columnCount} columns, found ${fields.length}`;
      return this.parseFields(fields, out);
    }
    if (this.kind === 'bars') {
      const fields = text.split(',');
      if (fields.length !== this.columnCount)
        return `expected ${this.columnCount} columns, found ${fields.length}`;
      return this.parseFields(fields, out);
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
    const symbol = this.symbolIn(text, fieldStart(commas, symbolAt), fieldEnd(text, commas, count, symbolAt));
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

  private parseFields(fields: readonly unknown[], out: Trade[]): string | undefined {
    const at = this.at;
    const get = (index: number | undefined) => (index === undefined ? undefined : fields[index]);
    if (this.kind === 'ticks')
      return this.tick(get(at.symbol), get(at.timestamp), get(at.price), get(at.size), out);
    const symbol = this.symbolOf(get(at.symbol));
    if (symbol === '') return 'missing symbol';
    if (symbol === NOT_A_SYMBOL) return badSymbol(get(at.symbol));
    const rawTs = get(at.timestamp);
    const ts = this.timestampOf(rawTs);
    if (ts === undefined) return badTimestamp(rawTs);
    const open = toNumber(get(at.open));
    const high = toNumber(get(at.high));
    const low = toNumber(get(at.low));
    const close = toNumber(get(at.close));
    for (const [name, value] of [
      ['open', open],
      ['high', high],
      ['low', low],
      ['close', close],
    ] as const) {
      if (!isTradePrice(value)) return badPrice(name, get(at[name]));
    }
    if (high < Math.max(open, close, low) || low > Math.min(open, close)) {
      return `inconsistent bar: high ${high} and low ${low} must bracket open ${open} and close ${close}`;
    }
    const rawVolume = get(at.volume);
    const volume = at.volume === undefined ? 0 : toNumber(rawVolume);
    if (!isTradeSize(volume)) return badSize('volume', rawVolume);
    expandBar({ symbol, ts, open, high, low, close, volume }, this.barMs, out);
    return undefined;
  }

  private tick(
    rawSymbol: unknown,
    rawTs: unknown,
    rawPrice: unknown,
    rawSize: unknown,
    out: Trade[],
  ): string | undefined {
    const symbol = this.symbolOf(rawSymbol);
    if (symbol === '') return 'missing symbol';
    if (symbol === NOT_A_SYMBOL) return badSymbol(rawSymbol);
    const ts = this.timestampOf(rawTs);
    if (ts === undefined) return badTimestamp(rawTs);
    const price = toNumber(rawPrice);
    if (!isTradePrice(price)) return badPrice('price', rawPrice);
    const size = this.at.size === undefined ? 0 : toNumber(rawSize);
    if (!isTradeSize(size)) return badSize('size', rawSize);
    out.push({ symbol, ts, price, size });
    return undefined;
  }

  private timestampOf(raw: unknown): number | undefined {
    if (typeof raw === 'number') return fromEpochNumber(raw);
    return typeof raw === 'string' ? this.readTs(raw) : undefined;
  }

  /** Symbols repeat millions of times; normalising each distinct spelling once saves a trim and an upper-case per row. */
  private readonly symbols = new Map<unknown, string>();

  /** The few symbols seen first, matched in place: no slice, no hashing, for the common feed of a handful. */
  private readonly firstSymbols: { raw: string; symbol: string }[] = [];

  private symbolIn(text: string, start: number, end: number): string {
    const length = end - start;
    for (const known of this.firstSymbols) {
      if (known.raw.length === length && text.startsWith(known.raw, start)) return known.symbol;
    }
    const raw = text.slice(start, end);
    const symbol = this.symbolOf(raw);
    if (this.firstSymbols.length < 8) this.firstSymbols.push({ raw, symbol });
    return symbol;
  }

  /** The canonical symbol, '' when missing, or NOT_A_SYMBOL when it breaks the shared rule (symbol.ts). */
  private symbolOf(raw: unknown): string {
    let symbol = this.symbols.get(raw);
    if (symbol === undefined) {
      symbol = canonicalSymbol(raw);
      if (this.symbols.size < 100_000) this.symbols.set(raw, symbol);
    }
    return symbol;
  }
}

/** Marks a symbol field that breaks the rule; it can never be a real symbol (those are A–Z, 0–9, ".", "-"). */
const NOT_A_SYMBOL = '\u0000';

function canonicalSymbol(raw: unknown): string {
  if (raw === undefined || raw === null) return '';
  // A JSON number or object is not a symbol: String({}) would be "[OBJECT OBJECT]".
  if (typeof raw !== 'string') return NOT_A_SYMBOL;
  if (raw.trim() === '') return '';
  const reading = readSymbol(raw);
  return reading.ok ? reading.symbol : NOT_A_SYMBOL;
}

/** A value quoted for a reject reason: control characters escaped, and no longer than a person reads. */
function shown(raw: unknown): string {
  const text =
    typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : (JSON.stringify(raw) ?? '');
  const short = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(short).slice(1, -1);
}

function badSymbol(raw: unknown): string {
  return `bad symbol "${shown(raw)}": ${SYMBOL_RULE_TEXT}`;
}

function badPrice(field: string, raw: unknown): string {
  return `bad ${field} "${shown(raw)}": ${PRICE_RULE_TEXT}`;
}

function badSize(field: string, raw: unknown): string {
  return `bad ${field} "${shown(raw)}": ${SIZE_RULE_TEXT}`;
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

function badTimestamp(raw: unknown): string {
  return `bad timestamp "${String(raw ?? '')}": use ISO-8601 (naive times are read in --timezone) or epoch seconds/ms`;
}

/** NaN for anything that is not a number, including an empty field. */
function toNumber(value: unknown): number {
  if (typeof value === 'string') return value.length === 0 ? Number.NaN : Number(value);
  return typeof value === 'number' ? value : Number.NaN;
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
