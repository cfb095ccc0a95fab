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
  type MarketDataOptions,
  type MarketField,
  parseBarLength,
} from './market-data-options.js';
import { createTimestampReader, fromEpochNumber, type TimestampReader } from './timestamp-reader.js';

/**
 * The fields of one file's rows, whatever the row format: where each market field stands (from the
 * header or the first NDJSON object), and how a row's field values become trades (one for a tick, four
 * for a bar) or a reject reason. The CSV and NDJSON row readers cut rows into values and hand them here.
 */
export class RowFields {
  readonly kind: ColumnLayout['kind'];
  /** Field positions among the row's values. */
  readonly at: Readonly<Partial<Record<MarketField, number>>>;
  readonly columnCount: number;
  readonly readTs: TimestampReader;
  private readonly barMs: number;

  constructor(names: readonly string[], options: MarketDataOptions) {
    const layout = detectColumns(names, options);
    this.kind = layout.kind;
    this.at = layout.index;
    this.columnCount = names.length;
    this.readTs = createTimestampReader(options.timezone ?? DEFAULT_TIMEZONE);
    this.barMs = layout.kind === 'bars' ? parseBarLength(options.barLength as string) : 0;
  }

  /**
   * Reads one row given as its field values (strings from CSV, any JSON value from NDJSON), appending
   * its trades to `out`. Returns the reason when the row is rejected.
   */
  fromValues(fields: readonly unknown[], out: Trade[]): string | undefined {
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

  /** The symbol in `text[start, end)`, as {@link symbolOf} reads it. */
  symbolIn(text: string, start: number, end: number): string {
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
export const NOT_A_SYMBOL = '\u0000';

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

export function badSymbol(raw: unknown): string {
  return `bad symbol "${shown(raw)}": ${SYMBOL_RULE_TEXT}`;
}

export function badPrice(field: string, raw: unknown): string {
  return `bad ${field} "${shown(raw)}": ${PRICE_RULE_TEXT}`;
}

export function badSize(field: string, raw: unknown): string {
  return `bad ${field} "${shown(raw)}": ${SIZE_RULE_TEXT}`;
}

export function badTimestamp(raw: unknown): string {
  return `bad timestamp "${String(raw ?? '')}": use ISO-8601 (naive times are read in --timezone) or epoch seconds/ms`;
}

/** NaN for anything that is not a number, including an empty field. */
function toNumber(value: unknown): number {
  if (typeof value === 'string') return value.length === 0 ? Number.NaN : Number(value);
  return typeof value === 'number' ? value : Number.NaN;
}
