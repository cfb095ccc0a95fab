import type { PackedRecord } from './trade-packer.js';

/** Where packed records go: Kinesis, or nothing (to measure the producer's own path). */
export interface RecordSink {
  /** Queues a record; a partition key's records are delivered in the order queued. */
  enqueue(record: PackedRecord): void;
  /** Resolves when fewer than `maxPending` records wait, so memory stays bounded; rejects on a fatal failure. */
  waitForRoom(maxPending: number): Promise<void>;
  /** Resolves when every queued record is acknowledged; rejects on a fatal failure. */
  flush(): Promise<void>;
  /** The lowest `firstLine` among records not yet acknowledged. */
  pendingFirstLine(): number | undefined;
  /** Highest acknowledged sequence number per shard. */
  readonly lastSequenceByShard: ReadonlyMap<string, string>;
}

/** Accepts and forgets every record (the benchmark's null sink). */
export class NullRecordSink implements RecordSink {
  readonly lastSequenceByShard = new Map<string, string>();
  records = 0;
  bytes = 0;

  enqueue(record: PackedRecord): void {
    this.records += 1;
    this.bytes += record.data.length;
  }

  async waitForRoom(): Promise<void> {}

  async flush(): Promise<void> {}

  pendingFirstLine(): number | undefined {
    return undefined;
  }
}
