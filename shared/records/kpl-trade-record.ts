import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Trade } from '../domain/trade.js';
import { assertEncodable } from './encodable-trades.js';
import { RecordDecodeError } from './record-decode-error.js';

/** The KPL aggregation format (https://github.com/awslabs/amazon-kinesis-producer/blob/master/aggregation-format.md). */
export const KPL_MAGIC = Buffer.from([0xf3, 0x89, 0x9a, 0xc2]);

interface AggregatedRecordMessage {
  readonly partition_key_table: readonly string[];
  readonly records: readonly { readonly partition_key_index: number; readonly data: Uint8Array }[];
}

interface KplModules {
  readonly common: { AggregatedRecord: { decode(bytes: Uint8Array): AggregatedRecordMessage } };
  readonly agg: {
    RecordAggregator: new () => {
      addUserRecord(record: { partitionKey: string; data: Buffer }): void;
      build(): { partitionKey: string; data: Buffer };
    };
  };
}

// aws-kinesis-agg ships no ESM entry for its protobuf model; the library is CommonJS.
const require = createRequire(import.meta.url);
const kpl: KplModules = {
  common: require('aws-kinesis-agg/lib/common.js'),
  agg: require('aws-kinesis-agg/lib/kpl-agg.js'),
};

/**
 * Encodes trades as one KPL aggregated record whose user records are plain one-trade JSON, so any
 * KCL consumer or `aws-kinesis-agg` deaggregator sees third-party-style trade records.
 */
export function encodeKplTradeRecord(symbol: string, trades: readonly Trade[]): Buffer {
  assertEncodable(symbol, trades);
  const aggregator = new kpl.agg.RecordAggregator();
  for (const trade of trades) {
    const json = `{"symbol":${JSON.stringify(symbol)},"ts":${trade.ts},"price":${trade.price},"size":${trade.size}}`;
    aggregator.addUserRecord({ partitionKey: symbol, data: Buffer.from(json) });
  }
  return aggregator.build().data;
}

/** The user records of a KPL aggregated record, checksum verified; throws RecordDecodeError. */
export function kplUserRecords(data: Uint8Array): Uint8Array[] {
  if (data.length < 4 + 16) throw new RecordDecodeError('KPL record is too short');
  const body = data.subarray(4, data.length - 16);
  const digest = createHash('md5').update(body).digest();
  if (!digest.equals(Buffer.from(data.subarray(data.length - 16)))) {
    throw new RecordDecodeError('KPL record checksum does not match');
  }
  let message: AggregatedRecordMessage;
  try {
    message = kpl.common.AggregatedRecord.decode(body);
  } catch (error) {
    throw new RecordDecodeError('KPL record is not a valid AggregatedRecord', { cause: error });
  }
  return message.records.map((record) => record.data);
}
