import type { _Record } from '@aws-sdk/client-kinesis';
import type { KinesisStreamRecord } from 'aws-lambda';

export interface StreamIdentity {
  readonly streamName: string;
  readonly region: string;
  readonly accountId: string;
}

/** A GetRecords record in the shape Lambda hands a Kinesis-triggered function. */
export function toKinesisEventRecord(
  record: _Record,
  shardId: string,
  stream: StreamIdentity,
): KinesisStreamRecord {
  const sequenceNumber = record.SequenceNumber ?? '';
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: record.PartitionKey ?? '',
      sequenceNumber,
      data: Buffer.from(record.Data ?? new Uint8Array()).toString('base64'),
      approximateArrivalTimestamp: (record.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${shardId}:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: `arn:aws:iam::${stream.accountId}:role/stockalert-local`,
    awsRegion: stream.region,
    eventSourceARN: `arn:aws:kinesis:${stream.region}:${stream.accountId}:stream/${stream.streamName}`,
  };
}
