import type { Trade } from '../../shared/domain/trade.js';
import { TruncatedInputError } from './byte-lines.js';
import { MarketDataError, type MarketDataOptions, type MarketRow } from './market-data-options.js';
import { MarketDataParser } from './market-data-parser.js';
import type { SourceLine } from './source-line.js';

/**
 * Reads a market-data file given as lines (or batches of lines) into trades and rejected rows, in file
 * order. The first line is the CSV header or the first NDJSON object; bars expand to four trades each.
 * A truncated gzip ends the rows with one reject saying so. Throws MarketDataError when the file has no
 * usable layout (empty, no recognisable header, bars without `barLength`).
 *
 * @example
 *   for await (const row of readMarketData((await openFileLines(path)).batches, { barLength: '1h' })) …
 */
export async function* readMarketData(
  lines: AsyncIterable<SourceLine | readonly SourceLine[]>,
  options: MarketDataOptions = {},
): AsyncGenerator<MarketRow> {
  let parser: MarketDataParser | undefined;
  let line = 0;
  const trades: Trade[] = [];
  try {
    for await (const item of lines) {
      const batch: readonly SourceLine[] = Array.isArray(item) ? item : [item as SourceLine];
      for (const text of batch) {
        line += 1;
        if (parser === undefined) {
          const first = MarketDataParser.fromFirstLine(text, options);
          parser = first.parser;
          if (!first.firstLineIsData) continue;
        }
        const reason = parser.parseLine(text, trades);
        if (reason !== undefined) yield { reject: { line, reason } };
        for (const trade of trades) yield { trade, line };
        trades.length = 0;
      }
    }
  } catch (error) {
    if (!(error instanceof TruncatedInputError)) throw error;
    yield { reject: { line: line + 1, reason: `${error.message}: rows after line ${line} are missing` } };
  }
  if (parser === undefined) throw new MarketDataError('the file is empty');
}
