import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createGzip, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { linesFromBytes } from '../../pipeline/market-data/byte-lines.js';
import { MarketDataError } from '../../pipeline/market-data/market-data-options.js';
import { readMarketData } from '../../pipeline/market-data/read-market-data.js';
import { OverlongLine, type SourceLine } from '../../pipeline/market-data/source-line.js';
import { readInChildProcess } from '../helpers/market-data-child.js';
import { withTemporaryDir } from '../helpers/temporary-dir.js';

const HEADER = 'symbol,timestamp,price,size\n';
const ROW = (second: number) => `BAC,2024-01-02T09:30:0${second}-05:00,13.9,100\n`;
const MB = 1024 * 1024;
/** The acceptance bound of issue 10; a Node process with tsx starts near 100 MB of it. */
const PEAK_RSS_LIMIT_MB = 300;

async function write(out: WriteStream, data: string | Buffer): Promise<void> {
  if (!out.write(data)) await once(out, 'drain');
}

/** header, a good row, `megabytes` MB of one line without a break, then a break and another good row. */
async function writeHugeLineFile(path: string, megabytes: number, gzip: boolean): Promise<void> {
  const file = createWriteStream(path);
  const gz = gzip ? createGzip({ level: 9 }) : undefined;
  gz?.pipe(file);
  const out = (gz ?? file) as unknown as WriteStream;
  await write(out, HEADER + ROW(1));
  const block = Buffer.alloc(MB, 'A');
  for (let i = 0; i < megabytes; i += 1) await write(out, block);
  await write(out, `\n${ROW(2)}`);
  out.end();
  await once(file, 'close');
}

describe('the market-data reader bounds every line', () => {
  it('rejects a 100 MB line as one bad row with its line number, and reads on, in bounded memory', async () => {
    await withTemporaryDir('huge-line', async (dir) => {
      const path = join(dir, 'huge.csv');
      await writeHugeLineFile(path, 100, false);
      const result = await readInChildProcess(path);
      expect(result.error).toBeUndefined();
      expect(result.trades).toBe(2);
      expect(result.rejects).toEqual([
        { line: 3, reason: expect.stringContaining('line longer than 65536 bytes') },
      ]);
      expect(result.peakRssMb).toBeLessThan(PEAK_RSS_LIMIT_MB);
    });
  });

  it('rejects the endless line of a gzip bomb (256 MB from a few hundred KB) in bounded memory', async () => {
    await withTemporaryDir('gzip-bomb', async (dir) => {
      const path = join(dir, 'bomb.csv.gz');
      await writeHugeLineFile(path, 256, true);
      const result = await readInChildProcess(path);
      expect(result.error).toBeUndefined();
      expect(result.trades).toBe(2);
      expect(result.rejects).toEqual([{ line: 3, reason: expect.stringContaining('line longer than') }]);
      expect(result.peakRssMb).toBeLessThan(PEAK_RSS_LIMIT_MB);
    });
  });

  it('refuses a file whose only line is 100 MB long, in bounded memory', async () => {
    await withTemporaryDir('one-line', async (dir) => {
      const path = join(dir, 'one-line.csv');
      await writeFile(path, Buffer.alloc(100 * MB, 'A'));
      const result = await readInChildProcess(path);
      expect(result.error).toMatch(/^MarketDataError: the first line is line longer than 65536 bytes/);
      expect(result.peakRssMb).toBeLessThan(PEAK_RSS_LIMIT_MB);
    });
  });

  it('takes its limit from the option, counting bytes, not characters', async () => {
    const wide = `ÉÉÉ,${'é'.repeat(60)}\n`; // 127 bytes, 64 characters
    const lines = await collect(
      linesFromBytes(chunksOf(Buffer.from(`a\n${wide}b\n`), 7), undefined, { maxLineBytes: 100 }).batches,
    );
    expect(lines[0]).toBe('a');
    expect(lines[1]).toBeInstanceOf(OverlongLine);
    expect(lines[2]).toBe('b');
    const roomy = await collect(
      linesFromBytes(chunksOf(Buffer.from(`a\n${wide}b\n`), 7), undefined, { maxLineBytes: 127 }).batches,
    );
    expect(roomy).toEqual(['a', wide.slice(0, -1), 'b']);
  });

  it('keeps lines and multi-byte characters whole across chunk boundaries of any size, CRLF included', async () => {
    const text = 'symbol,price\r\nBÄC,1\nAIG,2€\r\n\nIBM,3';
    for (const size of [1, 2, 3, 5, 64]) {
      const lines = await collect(linesFromBytes(chunksOf(Buffer.from(text), size)).batches);
      expect(lines).toEqual(['symbol,price', 'BÄC,1', 'AIG,2€', '', 'IBM,3']);
    }
  });

  it('gives the backtest reader the overlong row as a reject, not a thrown error', async () => {
    const input = Buffer.from(`${HEADER}${ROW(1)}${'x'.repeat(300)}\n${ROW(2)}`);
    const rows = [];
    for await (const row of readMarketData(
      linesFromBytes(chunksOf(input, 50), undefined, { maxLineBytes: 200 }).batches,
    ))
      rows.push(row);
    expect(rows.filter((row) => 'trade' in row)).toHaveLength(2);
    expect(rows.filter((row) => 'reject' in row)).toEqual([
      { reject: { line: 3, reason: expect.stringContaining('--max-line-bytes') } },
    ]);
  });

  it('recognises gzip even when the first chunk holds a single byte (found by the fuzz suite)', async () => {
    const lines = await collect(linesFromBytes(chunksOf(gzipSync('a,b\nc,d\n'), 1)).batches);
    expect(lines).toEqual(['a,b', 'c,d']);
  });

  it('says the file is unreadable when its header is too long', async () => {
    const rows = readMarketData(Readable.from([[new OverlongLine(100, 'xxx')]]));
    await expect(rows.next()).rejects.toThrow(MarketDataError);
  });
});

function chunksOf(data: Buffer, size: number): Readable {
  const parts: Buffer[] = [];
  for (let at = 0; at < data.length; at += size) parts.push(data.subarray(at, at + size));
  return Readable.from(parts);
}

async function collect(batches: AsyncIterable<readonly SourceLine[]>): Promise<SourceLine[]> {
  const all: SourceLine[] = [];
  for await (const batch of batches) all.push(...batch);
  return all;
}
