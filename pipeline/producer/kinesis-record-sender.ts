import { type KinesisClient, PutRecordsCommand, type PutRecordsCommandOutput } from '@aws-sdk/client-kinesis';
import type { RecordSink } from './record-sink.js';
import type { ShardMap } from './shard-map.js';
import { KINESIS_SHARD_LIMITS, type ShardLimits, TokenBucket } from './token-bucket.js';
import type { PackedRecord } from './trade-packer.js';

/** Records that Kinesis would not take within the retry budget. Nothing after them was sent for their keys. */
export class PutRecordsError extends Error {
  override readonly name = 'PutRecordsError';
}

export interface SenderOptions {
  readonly limits?: ShardLimits;
  /** Attempts per record before the run stops (default 8). */
  readonly maxAttempts?: number;
  readonly retryBaseMs?: number;
  /** PutRecords calls in flight at once (default 4); a key is in at most one of them. */
  readonly concurrency?: number;
}

interface KeyQueue {
  readonly records: PackedRecord[];
  busy: boolean;
  attempts: number;
  retryAt: number;
}

const MAX_RECORDS_PER_CALL = 500;
const MAX_BYTES_PER_CALL = 5 * 1024 * 1024;

/**
 * Puts packed records with PutRecords within each shard's limits (a token bucket per shard), keeping
 * each partition key's order: a call carries at most one record per key, and a key's next record goes
 * only after the previous one is acknowledged. Failed entries (throttling, internal errors) are retried
 * with exponential backoff; after `maxAttempts` the sender stops with PutRecordsError.
 */
export class KinesisRecordSender implements RecordSink {
  readonly lastSequenceByShard = new Map<string, string>();
  private readonly queues = new Map<string, KeyQueue>();
  private readonly buckets = new Map<string, TokenBucket>();
  private pending = 0;
  private inFlight = 0;
  private failure: PutRecordsError | undefined;
  private timer: NodeJS.Timeout | undefined;
  private pumpQueued = false;
  private waiters: (() => void)[] = [];
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private readonly concurrency: number;

  constructor(
    private readonly kinesis: KinesisClient,
    private readonly streamName: string,
    private readonly shards: ShardMap,
    options: SenderOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 8;
    this.retryBaseMs = options.retryBaseMs ?? 100;
    this.concurrency = options.concurrency ?? 4;
    for (const shardId of shards.shardIds) {
      this.buckets.set(shardId, new TokenBucket(options.limits ?? KINESIS_SHARD_LIMITS));
    }
  }

  enqueue(record: PackedRecord): void {
    let queue = this.queues.get(record.partitionKey);
    if (queue === undefined) {
      queue = { records: [], busy: false, attempts: 0, retryAt: 0 };
      this.queues.set(record.partitionKey, queue);
    }
    queue.records.push(record);
    this.pending += 1;
    // Records enqueued together (a packer's drain) go out together: pump once they are all in, not on
    // the first, which would send it alone and leave the rest waiting for a round trip.
    if (!this.pumpQueued) {
      this.pumpQueued = true;
      queueMicrotask(() => {
        this.pumpQueued = false;
        this.pump();
      });
    }
  }

  waitForRoom(maxPending: number): Promise<void> {
    return this.waitUntil(() => this.pending < maxPending);
  }

  flush(): Promise<void> {
    return this.waitUntil(() => this.pending === 0);
  }

  pendingFirstLine(): number | undefined {
    let first: number | undefined;
    for (const queue of this.queues.values()) {
      const head = queue.records[0];
      if (head !== undefined && (first === undefined || head.firstLine < first)) first = head.firstLine;
    }
    return first;
  }

  private async waitUntil(done: () => boolean): Promise<void> {
    while (!done()) {
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    if (this.failure) throw this.failure;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Starts as many calls as concurrency, tokens and idle keys allow; otherwise sets a timer for the next chance. */
  private pump(): void {
    while (this.failure === undefined && this.inFlight < this.concurrency) {
      const now = performance.now();
      const call: PackedRecord[] = [];
      let bytes = 0;
      let wait = Number.POSITIVE_INFINITY;
      for (const queue of this.queues.values()) {
        const head = queue.records[0];
        if (head === undefined || queue.busy) continue;
        if (queue.retryAt > now) {
          wait = Math.min(wait, queue.retryAt - now);
          continue;
        }
        if (call.length === MAX_RECORDS_PER_CALL || bytes + head.data.length > MAX_BYTES_PER_CALL) break;
        const bucket = this.buckets.get(this.shards.shardOf(head.partitionKey)) as TokenBucket;
        if (!bucket.tryTake(head.data.length)) {
          wait = Math.min(wait, bucket.waitMs(head.data.length));
          continue;
        }
        queue.busy = true;
        call.push(head);
        bytes += head.data.length;
      }
      if (call.length === 0) {
        if (wait !== Number.POSITIVE_INFINITY && this.timer === undefined) {
          this.timer = setTimeout(
            () => {
              this.timer = undefined;
              this.pump();
            },
            Math.max(1, Math.ceil(wait)),
          );
        }
        return;
      }
      this.inFlight += 1;
      this.put(call).then(
        () => {
          this.inFlight -= 1;
          this.pump();
          this.wake();
        },
        (error: unknown) => {
          this.inFlight -= 1;
          this.failure ??= new PutRecordsError(`${this.streamName}: PutRecords failed`, { cause: error });
          this.wake();
        },
      );
    }
  }

  private async put(call: readonly PackedRecord[]): Promise<void> {
    let result: PutRecordsCommandOutput;
    try {
      result = await this.kinesis.send(
        new PutRecordsCommand({
          StreamName: this.streamName,
          Records: call.map((record) => ({ Data: record.data, PartitionKey: record.partitionKey })),
        }),
      );
    } catch (error) {
      // The whole call failed (network, 5xx after the SDK's own retries): every entry counts as failed.
      for (const record of call) this.failed(record, String((error as Error).message ?? error));
      return;
    }
    call.forEach((record, i) => {
      const entry = result.Records?.[i];
      if (entry?.ErrorCode !== undefined || entry?.SequenceNumber === undefined) {
        this.failed(record, `${entry?.ErrorCode ?? 'NoSequenceNumber'}: ${entry?.ErrorMessage ?? ''}`);
        return;
      }
      if (entry.ShardId !== undefined) this.lastSequenceByShard.set(entry.ShardId, entry.SequenceNumber);
      const queue = this.queues.get(record.partitionKey) as KeyQueue;
      queue.records.shift();
      queue.busy = false;
      queue.attempts = 0;
      this.pending -= 1;
      if (queue.records.length === 0) this.queues.delete(record.partitionKey);
    });
  }

  private failed(record: PackedRecord, reason: string): void {
    const queue = this.queues.get(record.partitionKey) as KeyQueue;
    queue.busy = false;
    queue.attempts += 1;
    if (queue.attempts >= this.maxAttempts) {
      this.failure ??= new PutRecordsError(
        `${this.streamName}: a record of ${record.partitionKey} was still rejected after ${queue.attempts} attempts (${reason}); nothing after it was sent for that symbol`,
      );
      return;
    }
    // Full jitter keeps retries of many keys from arriving together.
    queue.retryAt =
      performance.now() + this.retryBaseMs * 2 ** (queue.attempts - 1) * (0.5 + Math.random() / 2);
  }
}
