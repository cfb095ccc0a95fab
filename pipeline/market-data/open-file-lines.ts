import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { type LineOptions, type LineSource, linesFromBytes } from './byte-lines.js';
import { MarketDataError } from './market-data-options.js';

/**
 * Opens a local file (plain or gzip, told by its first bytes) as batches of lines, streaming:
 * memory stays bounded whatever the file's size. Throws MarketDataError when the path is not a file.
 */
export async function openFileLines(path: string, options: LineOptions = {}): Promise<LineSource> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || !info.isFile()) {
    throw new MarketDataError(`${path}: no such file; give the path of a CSV or NDJSON file (plain or .gz)`);
  }
  return linesFromBytes(createReadStream(path, { highWaterMark: 256 * 1024 }), info.size, options);
}
