import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ProducerStoppedError, produceTrades } from '../../pipeline/producer/produce-trades.js';
import { S3ProducerCheckpoints } from '../../pipeline/producer/producer-checkpoint.js';
import { ShardMap } from '../../pipeline/producer/shard-map.js';
import { TokenBucket } from '../../pipeline/producer/token-bucket.js';
import { createAwsClients } from '../../shared/aws/aws-clients.js';
import { JsonLinesLogger } from '../../shared/log/json-lines-logger.js';
import { readStream } from '../helpers/kinesis-records.js';
import { uploadLines } from '../helpers/local-pipeline-harness.js';
import { useTestAws } from '../helpers/use-test-aws.js';
import { createStream, firstDifference, readTrades, type Tick } from './stream-helpers.js';
import { type EntryFate, ThrottlingKinesisProxy } from './throttling-kinesis-proxy.js';

const SYMBOLS = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF'];
const T0 = Date.parse('2013-10-07T13:30:00Z');

/** Six symbols round-robin, every trade distinct, and what each symbol's sequence must be. */
function ticks(rows: number) {
  const lines = ['symbol,timestamp,price,size'];
  const bySymbol = new Map<string, Tick[]>(SYMBOLS.map((symbol) => [symbol, []]));
  for (let i = 0; i < rows; i += 1) {
    const symbol = SYMBOLS[i % SYMBOLS.length] as string;
    const ts = T0 + i;
    const price = 10 + (i % 1000) / 100;
    lines.push(`${symbol},${ts},${price.toFixed(2)},${i}`);
    bySymbol.get(symbol)?.push([ts, Number(price.toFixed(2)), i]);
  }
  return { lines, bySymbol };
}

const silent = () => new JsonLinesLogger(new Writable({ write: (_c, _e, done) => done() }), 'silent');

describe('TokenBucket', () => {
  it('gives a second of records and bytes at once, then refills at the configured rate', () => {
    let now = 0;
    const bucket = new TokenBucket({ recordsPerSecond: 10, bytesPerSecond: 1000 }, () => now);
    let taken = 0;
    while (bucket.tryTake(10)) taken += 1;
    expect(taken).toBe(10);
    expect(bucket.waitMs(10)).toBeCloseTo(100, 5);
    now = 100;
    expect(bucket.tryTake(10)).toBe(true);
    expect(bucket.tryTake(10)).toBe(false);
    now = 1100;
    expect(bucket.tryTake(900)).toBe(true);
    // 100 bytes are left; a 500-byte record waits 400 ms for the bytes, though records are plentiful.
    expect(bucket.tryTake(500)).toBe(false);
    expect(bucket.waitMs(500)).toBeCloseTo(400, 5);
  });
});

describe('the producer against Kinesis limits', () => {
  const aws = useTestAws();

  async function withProxy(fate: (call: number, entry: number, key: string) => EntryFate) {
    const proxy = new ThrottlingKinesisProxy(aws.connection.endpoints.kinesis, fate);
    const endpoint = await proxy.start();
    const clients = createAwsClients({
      ...aws.connection,
      endpoints: { ...aws.connection.endpoints, kinesis: endpoint },
    });
    const close = async () => {
      clients.destroy();
      await proxy.stop();
    };
    return { proxy, kinesis: clients.kinesis, close };
  }

  it('routes each symbol to the shard Kinesis hashes it to', async () => {
    const { lines } = ticks(600);
    await uploadLines(aws, 'limits/route.csv', lines);
    const streamName = await createStream(aws, 4);
    await produceTrades({
      s3: aws.clients.s3,
      kinesis: aws.clients.kinesis,
      bucket: aws.names.bucket,
      key: 'limits/route.csv',
      streamName,
      speed: 'max',
      logger: silent(),
      maxTradesPerRecord: 20,
    });
    const map = await ShardMap.load(aws.clients.kinesis, streamName);
    const stored = await readStream(aws.clients.kinesis, streamName);
    expect(stored).toHaveLength(30);
    for (const record of stored)
      expect(map.shardOf(record.partitionKey), record.partitionKey).toBe(record.shardId);
    expect(new Set(stored.map((record) => record.shardId)).size).toBeGreaterThan(1);
  });

  it('retries throttled and failed entries until delivered, keeping every symbol in order', async () => {
    const source = ticks(3000);
    await uploadLines(aws, 'limits/throttled.csv', source.lines);
    const streamName = await createStream(aws, 2);
    // Each symbol's 1st, 4th, 7th… entry is throttled and its 2nd, 7th, 12th… fails internally, for its
    // first 60 entries: never more than two failures in a row, so retries always get through.
    const seen = new Map<string, number>();
    const { proxy, kinesis, close } = await withProxy((_call, _entry, key) => {
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      if (n >= 60) return 'pass';
      return n % 3 === 0 ? 'throttle' : n % 5 === 1 ? 'internal-error' : 'pass';
    });
    try {
      const summary = await produceTrades({
        s3: aws.clients.s3,
        kinesis,
        bucket: aws.names.bucket,
        key: 'limits/throttled.csv',
        streamName,
        speed: 'max',
        logger: silent(),
        maxTradesPerRecord: 25,
        retries: { retryBaseMs: 1 },
      });
      const stream = await readTrades(aws, streamName);
      expect(proxy.entries.filter((entry) => entry.fate === 'throttle').length).toBeGreaterThan(10);
      expect(proxy.entries.filter((entry) => entry.fate === 'internal-error').length).toBeGreaterThan(5);
      expect(summary.trades).toBe(3000);
      expect(stream.trades).toBe(3000);
      expect(stream.records).toBe(120);
      for (const [symbol, expected] of source.bySymbol) {
        expect(firstDifference(stream.bySymbol.get(symbol), expected), symbol).toBeUndefined();
      }
    } finally {
      await close();
    }
  });

  it('never puts more records on a shard than its bucket allows', async () => {
    const { lines } = ticks(1200);
    await uploadLines(aws, 'limits/paced.csv', lines);
    const streamName = await createStream(aws, 2);
    const { proxy, kinesis, close } = await withProxy(() => 'pass');
    try {
      await produceTrades({
        s3: aws.clients.s3,
        kinesis,
        bucket: aws.names.bucket,
        key: 'limits/paced.csv',
        streamName,
        speed: 'max',
        logger: silent(),
        maxTradesPerRecord: 10,
        limits: { recordsPerSecond: 40, bytesPerSecond: 1_000_000 },
      });
      const map = await ShardMap.load(kinesis, streamName);
      expect(proxy.entries).toHaveLength(120);
      // A bucket holds one second (40 records) and refills at 40/s: no window of w ms may see more.
      for (const shardId of map.shardIds) {
        const times = proxy.entries.filter((e) => map.shardOf(e.partitionKey) === shardId).map((e) => e.at);
        for (let i = 0; i < times.length; i += 1) {
          for (let j = i + 1; j < times.length; j += 1) {
            const allowed = 40 + Math.ceil((((times[j] as number) - (times[i] as number)) / 1000) * 40) + 1;
            expect(j - i + 1, `${shardId} records ${i}..${j}`).toBeLessThanOrEqual(allowed);
          }
        }
      }
    } finally {
      await close();
    }
  });

  it('stops with a resumable checkpoint when retries run out, and the next run leaves no gap', async () => {
    const source = ticks(2400);
    await uploadLines(aws, 'limits/stuck.csv', source.lines);
    const streamName = await createStream(aws, 2);
    const checkpoints = new S3ProducerCheckpoints(aws.clients.s3, aws.names.bucket);
    // CCC is refused for ever once 10 calls have gone through.
    const { kinesis, close } = await withProxy((call, _entry, key) =>
      call >= 10 && key === 'CCC' ? 'throttle' : 'pass',
    );
    const options = {
      s3: aws.clients.s3,
      bucket: aws.names.bucket,
      key: 'limits/stuck.csv',
      streamName,
      speed: 'max' as const,
      logger: silent(),
      maxTradesPerRecord: 20,
      checkpoints,
    };
    try {
      const stopped = produceTrades({ ...options, kinesis, retries: { maxAttempts: 3, retryBaseMs: 1 } });
      await expect(stopped).rejects.toThrow(ProducerStoppedError);
      await expect(stopped).rejects.toThrow(
        /CCC was still rejected after 3 attempts.*run the same command again/,
      );
    } finally {
      await close();
    }
    const saved = await checkpoints.load('s3://stockalert-data/limits/stuck.csv');
    expect(saved?.object).toBe('limits/stuck.csv');
    expect(saved?.line).toBeGreaterThan(1);
    const before = await readTrades(aws, streamName);

    const resumed = await produceTrades({ ...options, kinesis: aws.clients.kinesis });
    const after = await readTrades(aws, streamName);

    expect(resumed.resumedFrom?.line).toBe(saved?.line);
    expect(await checkpoints.load('s3://stockalert-data/limits/stuck.csv')).toBeUndefined();
    for (const [symbol, expected] of source.bySymbol) {
      const first = before.bySymbol.get(symbol) ?? [];
      const all = after.bySymbol.get(symbol) ?? [];
      const second = all.slice(first.length);
      // Before the stop: a prefix of the source. After: the rest, re-sending a little, skipping nothing.
      expect(firstDifference(first, expected.slice(0, first.length)), symbol).toBeUndefined();
      expect(second.length, symbol).toBeGreaterThanOrEqual(expected.length - first.length);
      expect(
        firstDifference(second, expected.slice(expected.length - second.length)),
        symbol,
      ).toBeUndefined();
    }
    expect(before.bySymbol.get('CCC')?.length ?? 0).toBeLessThan(400);
  });
});
