import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import type { Trade } from '../../shared/domain/trade.js';

const ACCOUNT_ID = '000000000000';
const REGION = 'us-east-1';
/** Real sequence numbers are 56-digit decimals; tests only need them unique and ordered. */
const SEQUENCE_BASE = 49_000_000_000_000_000_000n;

export interface RecordOptions {
  /** Position of the record in its shard; the same index always gives the same sequence number. */
  readonly index: number;
  readonly partitionKey?: string;
  readonly shardId?: string;
  readonly streamName?: string;
  /** When the record reached the stream (epoch ms); by default a fixed time after every test's trades. */
  readonly arrivalMs?: number;
}

/** The default arrival time, 2030-03-17: trades may not be ahead of it (see pipeline/detect/trade-bounds.ts). */
const ARRIVAL_BASE_SECONDS = 1_900_000_000;

/** One record as Lambda hands it to a Kinesis-triggered function: the payload base64-encoded. */
export function kinesisStreamRecord(data: Uint8Array | string, options: RecordOptions): KinesisStreamRecord {
  const shardId = options.shardId ?? 'shardId-000000000000';
  const streamName = options.streamName ?? 'stockalert-trades';
  const sequenceNumber = (SEQUENCE_BASE + BigInt(options.index)).toString();
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: options.partitionKey ?? 'test',
      sequenceNumber,
      data: Buffer.from(data).toString('base64'),
      approximateArrivalTimestamp:
        options.arrivalMs === undefined
          ? ARRIVAL_BASE_SECONDS + options.index / 1000
          : options.arrivalMs / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${shardId}:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: `arn:aws:iam::${ACCOUNT_ID}:role/stockalert-test`,
    awsRegion: REGION,
    eventSourceARN: `arn:aws:kinesis:${REGION}:${ACCOUNT_ID}:stream/${streamName}`,
  };
}

/** A Lambda-shaped record's payload as UTF-8 text (the inverse of `kinesisStreamRecord` for text). */
export function textOf(record: KinesisStreamRecord): string {
  return Buffer.from(record.kinesis.data, 'base64').toString('utf8');
}

/**
 * A packed JSON v1 trades record of one symbol, partitioned by that symbol as the producer does. Written
 * here rather than by encodeTradeRecord, which refuses out-of-bounds trades, so that tests can also
 * build the poison records a hostile or broken producer would send.
 */
export function tradesStreamRecord(
  symbol: string,
  trades: readonly Trade[],
  index: number,
): KinesisStreamRecord {
  const rows = trades.map((trade) => `[${trade.ts},${trade.price},${trade.size}]`).join(',');
  const data = Buffer.from(`{"v":1,"s":${JSON.stringify(symbol)},"t":[${rows}]}`);
  return kinesisStreamRecord(data, { index, partitionKey: symbol });
}

export function kinesisStreamEvent(records: readonly KinesisStreamRecord[]): KinesisStreamEvent {
  return { Records: [...records] };
}

/** A record read back from a stream with GetRecords. */
export interface StoredRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly data: Uint8Array;
}

/**
 * Every record on the stream, shard by shard, each shard in sequence order: ListShards, then
 * GetShardIterator at TRIM_HORIZON and GetRecords until a call returns nothing.
 */
export async function readStream(kinesis: KinesisClient, streamName: string): Promise<StoredRecord[]> {
  const shards = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
  const records: StoredRecord[] = [];
  for (const shard of shards.Shards ?? []) {
    const shardId = shard.ShardId as string;
    const start = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    let iterator = start.ShardIterator;
    while (iterator !== undefined) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      const batch = page.Records ?? [];
      if (batch.length === 0) break;
      for (const record of batch) {
        records.push({
          shardId,
          sequenceNumber: record.SequenceNumber as string,
          partitionKey: record.PartitionKey as string,
          data: record.Data as Uint8Array,
        });
      }
      iterator = page.NextShardIterator;
    }
  }
  return records;
}
