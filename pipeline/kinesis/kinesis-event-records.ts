import type { KinesisStreamRecord } from 'aws-lambda';

/** The payload bytes of a Lambda Kinesis record (base64 in the event, as Lambda delivers it). */
export function recordData(record: KinesisStreamRecord): Buffer {
  return Buffer.from(record.kinesis.data, 'base64');
}

/** Where a record came from, for logs: `shardId:sequenceNumber` is Lambda's eventID. */
export function recordPosition(record: KinesisStreamRecord): { eventId: string; sequenceNumber: string } {
  return { eventId: record.eventID, sequenceNumber: record.kinesis.sequenceNumber };
}

/** The stream a record came from, from its `eventSourceARN` (`arn:aws:kinesis:…:stream/<name>`). */
export function recordStreamName(record: KinesisStreamRecord): string {
  const arn = record.eventSourceARN;
  const at = arn.lastIndexOf('stream/');
  return at < 0 ? arn : (arn.slice(at + 'stream/'.length).split('/')[0] ?? arn);
}
