import type { KinesisStreamRecord } from 'aws-lambda';

/**
 * The on-failure destination of single records that can never be processed (poison records). The
 * event source mapping's own destination only hears of failed batches, and without their payload, so
 * a handler that skips a poison record hands it here, one record at a time: SQS in the cloud
 * (`SqsPoisonRecordSink`), a dead-letter file on the embedded stack (`DeadLetterFile`).
 */
export interface PoisonRecordSink {
  divert(streamName: string, record: KinesisStreamRecord, reason: string): Promise<void>;
}

/** What a sink keeps of a poison record: enough to find it on the stream and to replay its payload. */
export function poisonRecordEntry(streamName: string, record: KinesisStreamRecord, reason: string) {
  return {
    kind: 'poison-record' as const,
    streamName,
    reason,
    eventId: record.eventID,
    sequenceNumber: record.kinesis.sequenceNumber,
    partitionKey: record.kinesis.partitionKey,
    data: record.kinesis.data,
  };
}
