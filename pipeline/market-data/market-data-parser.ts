import type { Trade } from '../../shared/domain/trade.js';
import type { ColumnLayout } from './column-layout.js';
import { CsvRowReader } from './csv-row-reader.js';
import { MarketDataError, type MarketDataOptions } from './market-data-options.js';
import { NdjsonRowReader } from './ndjson-row-reader.js';
import { OverlongLine, type SourceLine } from './source-line.js';

/**
 * Parses the rows of one CSV or NDJSON market-data file into trades, synchronously and without
 * per-row allocation beyond the trades, so a producer can run it at the speed of gunzip.
 * Build it from the file's first line with {@link MarketDataParser.fromFirstLine}; the rows of each
 * format are read by its own reader (`csv-row-reader.ts`, `ndjson-row-reader.ts`).
 */
export class MarketDataParser {
  readonly kind: ColumnLayout['kind'];
  readonly format: 'csv' | 'ndjson';

  private constructor(private readonly reader: CsvRowReader | NdjsonRowReader) {
    this.kind = reader.fields.kind;
    this.format = reader instanceof CsvRowReader ? 'csv' : 'ndjson';
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
      return {
        parser: new MarketDataParser(NdjsonRowReader.fromFirstObject(text, options)),
        firstLineIsData: true,
      };
    }
    if (text === '') throw new MarketDataError('the first line is empty: a CSV file needs a header line');
    return { parser: new MarketDataParser(CsvRowReader.fromHeader(text, options)), firstLineIsData: false };
  }

  /**
   * Parses one data line, appending its trades (one for a tick, four for a bar) to `out`. Returns the
   * reason when the row is rejected; blank lines give nothing.
   */
  parseLine(line: SourceLine, out: Trade[]): string | undefined {
    if (line instanceof OverlongLine) return line.reason;
    if (line.length === 0 || (line.length < 3 && line.trim() === '')) return undefined;
    return this.reader.readLine(line, out);
  }
}
