import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { KinesisStreamRecord } from 'aws-lambda';
import type { PoisonRecordSink } from '../../shared/ports/poison-record-sink.js';
import type { FailedBatch } from '../runner/kinesis-event-source.js';

/**
 * The local on-failure destination: one JSON line per failed batch or poison record in
 * `<dir>/<stream>.jsonl`, with sequence numbers and the payload, so nothing is lost silently.
 * The embedded stack has no SQS, so this file is the local poison-record sink as well.
 */
export class DeadLetterFile implements PoisonRecordSink {
  constructor(private readonly dir: string) {}

  async failedBatch(failed: FailedBatch): Promise<void> {
    await this.append(failed.streamName, {
      kind: 'failed-batch',
      shardId: failed.shardId,
      attempts: failed.attempts,
      reason: failed.reason,
      records: failed.records.map(summarise),
    });
  }

  divert(streamName: string, record: KinesisStreamRecord, reason: string): Promise<void> {
    return this.poisonRecord(streamName, record, reason);
  }

  async poisonRecord(streamName: string, record: KinesisStreamRecord, reason: string): Promise<void> {
    await this.append(streamName, { kind: 'poison-record', reason, records: [summarise(record)] });
  }

  private async append(streamName: string, entry: Record<string, unknown>): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await appendFile(
      join(this.dir, `${streamName}.jsonl`),
      `${JSON.stringify({ at: new Date().toISOString(), ...entry })}\n`,
    );
  }
}

function summarise(record: KinesisStreamRecord) {
  return {
    eventId: record.eventID,
    sequenceNumber: record.kinesis.sequenceNumber,
    partitionKey: record.kinesis.partitionKey,
    data: record.kinesis.data,
  };
}
