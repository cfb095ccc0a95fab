import type { Trade } from '../../shared/domain/trade.js';
import { MarketDataError, type MarketDataOptions } from './market-data-options.js';
import { RowFields } from './row-fields.js';

/**
 * Reads the rows of an NDJSON market-data file, one JSON object a line, into trades. The first object's
 * keys name the fields, and that object is data too. Build it with {@link NdjsonRowReader.fromFirstObject}.
 */
export class NdjsonRowReader {
  private constructor(
    readonly fields: RowFields,
    private readonly names: readonly string[],
  ) {}

  /** Reads the first line (trimmed, starting with `{`). Throws MarketDataError when no layout fits. */
  static fromFirstObject(text: string, options: MarketDataOptions): NdjsonRowReader {
    const object = parseObject(text);
    if (object === undefined) {
      throw new MarketDataError(`the first line is not a JSON object: "${text.slice(0, 120)}"`);
    }
    const names = Object.keys(object);
    return new NdjsonRowReader(new RowFields(names, options), names);
  }

  /** Appends the trades of one line to `out`; returns the reason when the row is rejected. */
  readLine(text: string, out: Trade[]): string | undefined {
    const object = parseObject(text);
    if (object === undefined) return 'not a JSON object';
    return this.fields.fromValues(
      this.names.map((name) => object[name]),
      out,
    );
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
