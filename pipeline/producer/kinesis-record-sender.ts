import { type KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { PackedRecord } from './trade-packer.js';

/** Records that Kinesis would not take within the retry budget. Nothing after them was sent. */
export class PutRecordsError extends Error {
  override readonly name = 'PutRecordsError';
}

export interface SenderOptions {
  readonly maxAttempts?: number;
  readonly retryBaseMs?: number;
}

const MAX_RECORDS_PER_CALL = 500;
const MAX_BYTES_PER_CALL = 4 * 1024 * 1024;

/**
 * Puts packed records with PutRecords, keeping each partition key's order: one call carries at most
 * one record per key, and a key's next record waits until the previous one is acknowledged. Failed
 * entries (throttling, internal errors) are retried with exponential backoff.
 */
export class KinesisRecordSender {
  /** Highest acknowledged sequence number per shard. */
  readonly lastSequenceByShard = new Map<string, string>();
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;

  constructor(
    private readonly kinesis: KinesisClient,
    private readonly streamName: string,
    options: SenderOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 8;
    this.retryBaseMs = options.retryBaseMs ?? 50;
  }

  /** Sends every record; resolves when all are acknowledged. */
  async send(records: readonly PackedRecord[]): Promise<void> {
    const queues = new Map<string, PackedRecord[]>();
    for (const record of records) {
      const queue = queues.get(record.partitionKey);
      if (queue === undefined) queues.set(record.partitionKey, [record]);
      else queue.push(record);
    }
    let attempt = 0;
    while (queues.size > 0) {
      const call: PackedRecord[] = [];
      let bytes = 0;
      for (const queue of queues.values()) {
        const head = queue[0] as PackedRecord;
        if (
          call.length === MAX_RECORDS_PER_CALL ||
          (bytes + head.data.length > MAX_BYTES_PER_CALL && call.length > 0)
        )
          break;
        call.push(head);
        bytes += head.data.length;
      }
      const result = await this.kinesis.send(
        new PutRecordsCommand({
          StreamName: this.streamName,
          Records: call.map((record) => ({ Data: record.data, PartitionKey: record.partitionKey })),
        }),
      );
      let failed = 0;
      let firstError = '';
      call.forEach((record, i) => {
        const entry = result.Records?.[i];
        if (entry?.ErrorCode !== undefined || entry?.SequenceNumber === undefined) {
          failed += 1;
          firstError ||= `${entry?.ErrorCode ?? 'NoSequenceNumber'}: ${entry?.ErrorMessage ?? ''}`;
          return;
        }
        if (entry.ShardId !== undefined) this.lastSequenceByShard.set(entry.ShardId, entry.SequenceNumber);
        const queue = queues.get(record.partitionKey) as PackedRecord[];
        queue.shift();
        if (queue.length === 0) queues.delete(record.partitionKey);
      });
      if (failed === 0) {
        attempt = 0;
        continue;
      }
      attempt += 1;
      if (attempt >= this.maxAttempts) {
        throw new PutRecordsError(
          `${this.streamName}: ${failed} record(s) still rejected after ${attempt} attempts (${firstError}); nothing after them was sent`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, this.retryBaseMs * 2 ** (attempt - 1)));
    }
  }
}
