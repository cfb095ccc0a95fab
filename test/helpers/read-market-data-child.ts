/**
 * Runs the real market-data reader over one file in its own process and prints what it read and the
 * process's peak RSS as one JSON line, so a test can bound the reader's memory without its own noise.
 * Usage: node --import tsx test/helpers/read-market-data-child.ts <file> [maxLineBytes]
 */
import { openFileLines } from '../../pipeline/market-data/open-file-lines.js';
import { readMarketData } from '../../pipeline/market-data/read-market-data.js';

const [path, limit] = process.argv.slice(2);
const lineOptions = limit === undefined ? {} : { maxLineBytes: Number(limit) };
let trades = 0;
const rejects: { line: number; reason: string }[] = [];
let error: string | undefined;
try {
  const source = await openFileLines(path as string, lineOptions);
  for await (const row of readMarketData(source.batches, lineOptions)) {
    if ('trade' in row) trades += 1;
    else rejects.push(row.reject);
  }
} catch (caught) {
  error = `${(caught as Error).name}: ${(caught as Error).message}`;
}
// maxRSS is in kilobytes.
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(`${JSON.stringify({ trades, rejects, error, peakRssMb })}\n`);
