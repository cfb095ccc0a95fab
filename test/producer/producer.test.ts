import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { MarketDataError } from '../../pipeline/market-data/market-data-options.js';
import {
  type ProduceProgress,
  produceTrades,
  type ReplaySpeed,
} from '../../pipeline/producer/produce-trades.js';
import { memoryLogger, uploadLines } from '../helpers/local-pipeline-harness.js';
import { useTestAws } from '../helpers/use-test-aws.js';
import { createStream, firstDifference, readObject, readTrades, type Tick } from './stream-helpers.js';

const HEADER = 'symbol,timestamp,price,size,exchange,conditions,suspicious';
const T0 = Date.parse('2013-10-07T09:30:00-04:00');
const _REAL_FILE = fileURLToPath(
  new URL('../../../shared/data/us-equity-trades-2013-10-07_11.csv.gz', import.meta.url),
);

interface SourceFile {
  readonly lines: string[];
  readonly bySymbol: Map<string, Tick[]>;
  readonly goodRows: number;
  readonly firstTs: number;
  readonly lastTs: number;
  /** Line (1-based, header = 1) and a fragment of the reason, for every bad row in file order. */
  readonly rejects: { line: number; reason: string }[];
}

/**
 * Three symbols interleaved unevenly, prices and sizes varying, several trades per millisecond,
 * bad rows and a blank line scattered through. Expectations are built here, not by the parser.
 */
function interleavedSource(rows: number, marketMsBetweenTrades: (i: number) => number): SourceFile {
  const symbols = ['BAC', 'IBM', 'SPY'];
  const bad: Record<number, { text: string; reason: string }> = {
    5: { text: 'BAC,2013-10-07T09:30:00-04:00,13.9', reason: 'expected 7 columns, found 3' },
    40: { text: ',2013-10-07T09:30:00-04:00,13.9,100,P,0,0', reason: 'missing symbol' },
    77: { text: 'IBM,2013-10-07T25:30:00-04:00,186.1,100,P,0,0', reason: 'bad timestamp' },
    150: { text: 'SPY,2013-10-07T09:30:00-04:00,0,100,P,0,0', reason: 'bad price "0"' },
    151: { text: 'SPY,2013-10-07T09:30:00-04:00,abc,100,P,0,0', reason: 'bad price "abc"' },
    300: { text: 'BAC,2013-10-07T09:30:00-04:00,13.9,-1,P,0,0', reason: 'bad size "-1"' },
  };
  const lines = [HEADER];
  const bySymbol = new Map<string, Tick[]>(symbols.map((symbol) => [symbol, []]));
  const rejects: { line: number; reason: string }[] = [];
  let ts = T0;
  let goodRows = 0;
  let firstTs: number | undefined;
  for (let i = 0; i < rows; i += 1) {
    const badRow = bad[i];
    if (badRow !== undefined) {
      lines.push(badRow.text);
      rejects.push({ line: lines.length, reason: badRow.reason });
      continue;
    }
    if (i === 200) {
      lines.push('');
      continue;
    }
    // Runs of one symbol then switches, so records fill at different rates per symbol.
    const symbol = symbols[(i * 7 + Math.floor(i / 5)) % 3] as string;
    ts += marketMsBetweenTrades(i);
    const price = Number((100 + ((i * 37) % 101) / 100).toFixed(2));
    const size = 100 * (1 + (i % 9));
    const exchange = i % 4 === 0 ? 'D' : 'P';
    lines.push(`${symbol},${new Date(ts).toISOString()},${price.toFixed(4)},${size},${exchange},20,0`);
    bySymbol.get(symbol)?.push([ts, price, size]);
    firstTs ??= ts;
    goodRows += 1;
  }
  return { lines, bySymbol, goodRows, rejects, firstTs: firstTs ?? Number.NaN, lastTs: ts };
}

describe('produceTrades on the embedded stack', () => {
  const aws = useTestAws();

  async function produce(key: string, streamName: string, speed: ReplaySpeed, maxTradesPerRecord?: number) {
    const { logger, lines } = memoryLogger();
    const progress: ProduceProgress[] = [];
    const summary = await produceTrades({
      s3: aws.clients.s3,
      kinesis: aws.clients.kinesis,
      bucket: aws.names.bucket,
      key,
      streamName,
      speed,
      logger,
      onProgress: (update) => progress.push(update),
      ...(maxTradesPerRecord === undefined ? {} : { maxTradesPerRecord }),
    });
    return { summary, logLines: lines, progress };
  }

  it.each(['interleaved.csv', 'interleaved.csv.gz'])(
    'puts every good row of %s on the stream, in source order per symbol, keyed by symbol',
    async (key) => {
      const source = interleavedSource(1_600, (i) => (i % 3 === 0 ? 0 : 1 + (i % 250)));
      await uploadLines(aws, key, source.lines);
      const streamName = await createStream(aws, 4);

      const { summary, logLines, progress } = await produce(key, streamName, 'max', 7);
      const stream = await readTrades(aws, streamName);

      expect(stream.trades).toBe(source.goodRows);
      expect(summary.trades).toBe(source.goodRows);
      expect(stream.misrouted).toEqual([]);
      for (const [symbol, expected] of source.bySymbol) {
        expect(firstDifference(stream.bySymbol.get(symbol), expected), symbol).toBeUndefined();
        // At full speed a symbol's records are full until its last one.
        const full = Math.floor(expected.length / 7);
        const rest = expected.length % 7;
        expect(stream.tradesPerRecord.get(symbol)).toEqual([
          ...Array<number>(full).fill(7),
          ...(rest === 0 ? [] : [rest]),
        ]);
      }
      expect([...stream.bySymbol.keys()].sort()).toEqual(['BAC', 'IBM', 'SPY']);
      expect(summary.records).toBe(stream.records);
      expect(summary.rejected).toBe(source.rejects.length);
      expect(summary.rejectSamples).toHaveLength(5);
      source.rejects.slice(0, 5).forEach((reject, i) => {
        expect(summary.rejectSamples[i]).toEqual({
          object: key,
          line: reject.line,
          reason: expect.stringContaining(reject.reason),
        });
      });
      expect(summary.firstTs).toBe(source.firstTs);
      expect(summary.lastTs).toBe(source.lastTs);
      expect(summary.aborted).toBe(false);
      expect(summary.bytesRead).toBe(summary.totalBytes);
      expect(progress.at(-1)).toMatchObject({ trades: source.goodRows, records: stream.records });
      expect(logLines).toContainEqual(
        expect.objectContaining({
          level: 'WARN',
          message: 'rows rejected',
          source: `s3://stockalert-data/${key}`,
          rejected: source.rejects.length,
        }),
      );
    },
  );

  it('still delivers every trade in order when replaying paced', async () => {
    // 40 s market gaps at 1,000× make the producer pause and flush partial records several times.
    const source = interleavedSource(400, (i) => (i > 0 && i % 60 === 0 ? 40_000 : 25));
    await uploadLines(aws, 'paced.csv', source.lines);
    const streamName = await createStream(aws, 2);

    const { summary } = await produce('paced.csv', streamName, 1_000, 7);
    const stream = await readTrades(aws, streamName);

    expect(stream.trades).toBe(source.goodRows);
    expect(summary.trades).toBe(source.goodRows);
    expect(summary.records).toBe(stream.records);
    expect(stream.misrouted).toEqual([]);
    for (const [symbol, expected] of source.bySymbol) {
      expect(firstDifference(stream.bySymbol.get(symbol), expected), symbol).toBeUndefined();
    }
  });

  it('refuses a file with only a header, naming the object', async () => {
    await uploadLines(aws, 'header-only.csv', [HEADER]);

    const produced = produce('header-only.csv', await createStream(aws, 1), 'max');

    await expect(produced).rejects.toThrow(MarketDataError);
    await expect(produced).rejects.toThrow(
      /header-only\.csv has no usable trade rows \(it has a header but no data rows\)/,
    );
  });

  it('refuses a file whose rows are all bad, quoting the first reasons with line numbers', async () => {
    await uploadLines(aws, 'all-bad.csv', [HEADER, 'BAC,,13.9,100,P,0,0', ',2013-10-07T09:30:00Z,1,1,P,0,0']);

    const produced = produce('all-bad.csv', await createStream(aws, 1), 'max');

    await expect(produced).rejects.toThrow(MarketDataError);
    await expect(produced).rejects.toThrow(
      /2 rows rejected: line 2: bad timestamp ""[^;]*; line 3: missing symbol/,
    );
  });

  it('refuses an empty object', async () => {
    await aws.clients.s3.send(
      new PutObjectCommand({ Bucket: aws.names.bucket, Key: 'empty.csv', Body: Buffer.alloc(0) }),
    );

    const produced = produce('empty.csv', await createStream(aws, 1), 'max');

    await expect(produced).rejects.toThrow(MarketDataError);
    await expect(produced).rejects.toThrow('empty.csv is empty');
  });

  it('refuses a file whose header lacks a required column, naming it', async () => {
    await uploadLines(aws, 'no-price.csv', ['symbol,timestamp,size', 'BAC,2013-10-07T09:30:00Z,13.9']);

    const produced = produce('no-price.csv', await createStream(aws, 1), 'max');

    await expect(produced).rejects.toThrow(MarketDataError);
    await expect(produced).rejects.toThrow(/no-price\.csv: cannot find the price column/);
  });

  it('sends every complete row of a truncated gzip and reports the cut as a reject', {
    timeout: 20_000,
  }, async () => {
    const source = interleavedSource(30_000, () => 1);
    const gzipped = gzipSync(`${source.lines.join('\n')}\n`);
    await aws.clients.s3.send(
      new PutObjectCommand({
        Bucket: aws.names.bucket,
        Key: 'truncated.csv.gz',
        Body: gzipped.subarray(0, Math.floor(gzipped.length / 2)),
      }),
    );
    const streamName = await createStream(aws, 2);

    const { summary } = await produce('truncated.csv.gz', streamName, 'max');
    const stream = await readTrades(aws, streamName);

    expect(summary.trades).toBeGreaterThan(1000);
    expect(summary.trades).toBeLessThan(source.goodRows);
    expect(stream.trades).toBe(summary.trades);
    for (const [symbol, expected] of source.bySymbol) {
      const got = stream.bySymbol.get(symbol) ?? [];
      expect(firstDifference(got, expected.slice(0, got.length)), symbol).toBeUndefined();
    }
    // The six bad rows of the source, then the cut.
    expect(summary.rejected).toBe(source.rejects.length + 1);
    expect(summary.rejectKeys).toEqual(['rejects/truncated.csv.gz.csv']);
    const rejects = (await readObject(aws, 'rejects/truncated.csv.gz.csv')).trimEnd().split('\n');
    expect(rejects[0]).toBe('line,reason,row');
    expect(rejects[1]).toBe(
      `${source.rejects[0]?.line},"expected 7 columns, found 3","BAC,2013-10-07T09:30:00-04:00,13.9"`,
    );
    expect(rejects.at(-1)).toMatch(
      /^\d+,the gzip data ends in the middle of the file \(truncated upload\?\): rows after line \d+ are missing,$/,
    );
  });
});
