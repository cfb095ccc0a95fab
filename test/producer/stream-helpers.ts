import { CreateStreamCommand, DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import {
  type ProduceOptions,
  type ProduceSummary,
  produceTrades,
} from '../../pipeline/producer/produce-trades.js';
import { decodeTradeRecord } from '../../shared/records/trade-record-codec.js';
import { type TestAws, uniqueName } from '../helpers/embedded-aws.js';
import { readStream } from '../helpers/kinesis-records.js';
import { memoryLogger } from '../helpers/local-pipeline-harness.js';

/** `[ts, price, size]` — a trade as the stream carries it, symbol aside. */
export type Tick = readonly [number, number, number];

export async function createStream(aws: TestAws, shardCount: number): Promise<string> {
  const streamName = uniqueName('trades');
  await aws.clients.kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }));
  for (;;) {
    const summary = await aws.clients.kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: streamName }),
    );
    if (summary.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return streamName;
    await new Promise((done) => setTimeout(done, 20));
  }
}

/** Produces `key` of the test bucket at full speed onto a fresh two-shard stream, and reads it back. */
export async function produceToNewStream(
  aws: TestAws,
  key: string,
  options: Partial<Pick<ProduceOptions, 'marketData' | 'checkpoints'>> = {},
): Promise<{ summary: ProduceSummary; stream: ReadBack }> {
  const streamName = await createStream(aws, 2);
  const summary = await produceTrades({
    s3: aws.clients.s3,
    kinesis: aws.clients.kinesis,
    bucket: aws.names.bucket,
    key,
    streamName,
    speed: 'max',
    logger: memoryLogger().logger,
    ...options,
  });
  return { summary, stream: await readTrades(aws, streamName) };
}

export interface ReadBack {
  readonly bySymbol: Map<string, Tick[]>;
  readonly records: number;
  readonly trades: number;
  /** Records whose partition key differs from the symbol they carry. */
  readonly misrouted: string[];
  readonly tradesPerRecord: Map<string, number[]>;
}

export async function readTrades(aws: TestAws, streamName: string): Promise<ReadBack> {
  const stored = await readStream(aws.clients.kinesis, streamName);
  const bySymbol = new Map<string, Tick[]>();
  const tradesPerRecord = new Map<string, number[]>();
  const misrouted: string[] = [];
  let trades = 0;
  for (const record of stored) {
    const decoded = decodeTradeRecord(record.data);
    trades += decoded.length;
    const sizes = tradesPerRecord.get(record.partitionKey) ?? [];
    sizes.push(decoded.length);
    tradesPerRecord.set(record.partitionKey, sizes);
    for (const trade of decoded) {
      if (trade.symbol !== record.partitionKey) misrouted.push(`${record.sequenceNumber}:${trade.symbol}`);
      const ticks = bySymbol.get(trade.symbol) ?? [];
      ticks.push([trade.ts, trade.price, trade.size]);
      bySymbol.set(trade.symbol, ticks);
    }
  }
  return { bySymbol, records: stored.length, trades, misrouted, tradesPerRecord };
}

/** The first position where two tick sequences differ, so a failure names one trade, not 100,000. */
export function firstDifference(actual: readonly Tick[] | undefined, expected: readonly Tick[]) {
  const got = actual ?? [];
  const length = Math.max(got.length, expected.length);
  for (let i = 0; i < length; i += 1) {
    const a = got[i];
    const e = expected[i];
    if (a === undefined || e === undefined || a[0] !== e[0] || a[1] !== e[1] || a[2] !== e[2]) {
      return { index: i, actual: a, expected: e };
    }
  }
  return undefined;
}

export async function readObject(aws: TestAws, key: string): Promise<string> {
  const object = await aws.clients.s3.send(new GetObjectCommand({ Bucket: aws.names.bucket, Key: key }));
  return (await object.Body?.transformToString()) ?? '';
}
