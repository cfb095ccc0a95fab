import type { KinesisStreamBatchResponse, KinesisStreamRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { firstFailedIndex } from '../../pipeline/runner/batch-failure.js';
import { toKinesisEventRecord } from '../../pipeline/runner/to-kinesis-event-record.js';

const STREAM = { streamName: 'unit-stream', region: 'us-east-1', accountId: '000000000000' };

function batchOf(...sequenceNumbers: string[]): KinesisStreamRecord[] {
  return sequenceNumbers.map((sequenceNumber) =>
    toKinesisEventRecord(
      { SequenceNumber: sequenceNumber, PartitionKey: 'key', Data: Buffer.from(sequenceNumber) },
      'shardId-000000000000',
      STREAM,
    ),
  );
}

function failing(...itemIdentifiers: string[]): KinesisStreamBatchResponse {
  return { batchItemFailures: itemIdentifiers.map((itemIdentifier) => ({ itemIdentifier })) };
}

describe('firstFailedIndex', () => {
  const batch = batchOf('101', '102', '103', '104');

  it('treats no response, an empty response and an empty failure list as success', () => {
    expect(firstFailedIndex(batch, undefined)).toBeUndefined();
    expect(firstFailedIndex(batch, {} as KinesisStreamBatchResponse)).toBeUndefined();
    expect(firstFailedIndex(batch, { batchItemFailures: [] })).toBeUndefined();
  });

  it('treats a null failure list as success, as Lambda does', () => {
    const response = { batchItemFailures: null } as unknown as KinesisStreamBatchResponse;

    expect(firstFailedIndex(batch, response)).toBeUndefined();
  });

  it('resumes at the one reported record', () => {
    expect(firstFailedIndex(batch, failing('103'))).toBe(2);
    expect(firstFailedIndex(batch, failing('101'))).toBe(0);
    expect(firstFailedIndex(batch, failing('104'))).toBe(3);
  });

  it('resumes at the lowest sequence number whatever order failures are reported in', () => {
    expect(firstFailedIndex(batch, failing('104', '102', '103'))).toBe(1);
  });

  it('fails the whole batch when an identifier is not in the batch', () => {
    expect(firstFailedIndex(batch, failing('999'))).toBe(0);
    expect(firstFailedIndex(batch, failing('103', '999'))).toBe(0);
  });

  it('fails the whole batch on an empty or missing identifier', () => {
    expect(firstFailedIndex(batch, failing(''))).toBe(0);
    const missing = { batchItemFailures: [{}] } as unknown as KinesisStreamBatchResponse;
    expect(firstFailedIndex(batch, missing)).toBe(0);
    const nullIdentifier = {
      batchItemFailures: [{ itemIdentifier: null }],
    } as unknown as KinesisStreamBatchResponse;
    expect(firstFailedIndex(batch, nullIdentifier)).toBe(0);
  });
});
