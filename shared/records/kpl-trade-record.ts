import kpl from 'aws-kinesis-agg';
import type { Trade } from '../domain/trade.js';
import { assertEncodable } from './encodable-trades.js';
import { RecordDecodeError } from './record-decode-error.js';

/** The KPL aggregation format (https://github.com/awslabs/amazon-kinesis-producer/blob/master/aggregation-format.md). */
export const KPL_MAGIC = Buffer.from([0xf3, 0x89, 0x9a, 0xc2]);

/**
 * Encodes trades as one KPL aggregated record whose user records are plain one-trade JSON, so any
 * KCL consumer or `aws-kinesis-agg` deaggregator sees third-party-style trade records.
 */
export function encodeKplTradeRecord(symbol: string, trades: readonly Trade[]): Buffer {
  assertEncodable(symbol, trades);
  const aggregator = new kpl.RecordAggregator();
  for (const trade of trades) {
    const json = `{"symbol":${JSON.stringify(symbol)},"ts":${trade.ts},"price":${trade.price},"size":${trade.size}}`;
    aggregator.addUserRecord({ partitionKey: symbol, data: Buffer.from(json) });
  }
  return aggregator.build().data;
}

/**
 * The user records of a KPL aggregated record, checksum verified, through the library's public
 * deaggregator (a plain import, so a bundle carries it); throws RecordDecodeError.
 */
export function kplUserRecords(data: Uint8Array): Uint8Array[] {
  if (data.length < 4 + 16) throw new RecordDecodeError('KPL record is too short');
  const payload = { data: Buffer.from(data).toString('base64'), partitionKey: '', sequenceNumber: '' };
  let userRecords: Uint8Array[] = [];
  let failure: unknown;
  // Synchronous despite the callback: deaggregateSync calls it before returning.
  kpl.deaggregateSync(payload as Parameters<typeof kpl.deaggregateSync>[0], true, (error, records) => {
    if (error) failure = error;
    else userRecords = (records ?? []).map((record) => Buffer.from(record.data, 'base64'));
  });
  if (failure !== undefined) {
    const reason =
      failure instanceof Error && /checksum/i.test(failure.message)
        ? 'KPL record checksum does not match'
        : 'KPL record is not a valid AggregatedRecord';
    throw new RecordDecodeError(reason, { cause: failure });
  }
  return userRecords;
}
