import type { KinesisStreamRecord } from 'aws-lambda';
import { stableBucket } from '../../shared/records/stable-bucket.js';
import { lastSequence } from './batch-delivery.js';
import type { CheckpointWriter } from './checkpoint-writer.js';

/** Delivers one lane's part of a batch; false when the runner stopped before it completed. */
export type LaneDelivery = (records: KinesisStreamRecord[]) => Promise<boolean>;

/**
 * The lane of a shard that a partition key's records are delivered in, with `lanes` lanes: always the
 * same one, so a key's records stay in order (and, for measurements, only that lane's earlier parts can
 * hold a record back).
 */
export function laneOf(partitionKey: string, lanes: number): number {
  return stableBucket(partitionKey, lanes);
}

/** One polled batch: its checkpoint may only be written once each of its lanes' parts completed. */
interface Generation {
  readonly lastSequenceNumber: string;
  pending: number;
}

/**
 * A Kinesis event source mapping's ParallelizationFactor for one shard: each polled batch is split by
 * partition key into up to `lanes` parts, delivered concurrently; a lane's parts run one after another,
 * so records with the same key are handled in order, while a slow part in one lane does not hold the
 * others (or the next poll). At most `lanes` polled batches are outstanding. The shard's checkpoint
 * only advances past a polled batch when it and every batch polled before it completed in all lanes,
 * so a restart redelivers whatever was not finished and skips nothing.
 */
export class ShardLanes {
  private readonly tails: Promise<void>[];
  private readonly generations: Generation[] = [];
  private roomWaiters: (() => void)[] = [];
  private failure: { readonly error: unknown } | undefined;
  /** A lane's delivery returned false (the runner is stopping): nothing after it is checkpointed. */
  private halted = false;

  constructor(
    lanes: number,
    private readonly deliver: LaneDelivery,
    private readonly checkpoints: CheckpointWriter,
  ) {
    this.tails = Array.from({ length: lanes }, () => Promise.resolve());
  }

  /** True while no part of any polled batch is still being delivered. */
  get idle(): boolean {
    return this.generations.length === 0;
  }

  /** True once a delivery was cut short by a stop or failed: the shard must stop polling. */
  get stopped(): boolean {
    return this.halted || this.failure !== undefined;
  }

  /**
   * Starts delivering a polled batch: `fresh` (the records to hand to the handler, possibly fewer
   * than were polled) in its lanes; `polled` gives the sequence number to checkpoint once done.
   */
  dispatch(polled: readonly KinesisStreamRecord[], fresh: readonly KinesisStreamRecord[]): void {
    const parts = new Map<number, KinesisStreamRecord[]>();
    for (const record of fresh) {
      const lane = laneOf(record.kinesis.partitionKey, this.tails.length);
      const part = parts.get(lane);
      if (part === undefined) parts.set(lane, [record]);
      else part.push(record);
    }
    const generation: Generation = { lastSequenceNumber: lastSequence(polled), pending: parts.size };
    this.generations.push(generation);
    for (const [lane, part] of parts) {
      this.tails[lane] = (this.tails[lane] as Promise<void>).then(() => this.run(part, generation));
    }
    if (parts.size === 0) this.advance();
  }

  /** Resolves once fewer than `lanes` polled batches are outstanding (or the lanes stopped). */
  async whenRoom(): Promise<void> {
    while (this.generations.length >= this.tails.length && !this.stopped) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
  }

  /** Waits for every lane; throws the first delivery error (the shard then restarts from its checkpoint). */
  async settled(): Promise<void> {
    await Promise.all(this.tails);
    const failure = this.failure;
    this.failure = undefined;
    if (failure !== undefined) throw failure.error;
  }

  private async run(part: KinesisStreamRecord[], generation: Generation): Promise<void> {
    if (this.stopped) return;
    try {
      if (!(await this.deliver(part))) {
        this.halted = true;
      } else {
        generation.pending -= 1;
        this.advance();
      }
    } catch (error) {
      this.failure ??= { error };
    } finally {
      this.wakeRoomWaiters();
    }
  }

  /** Checkpoints past the longest run of completed batches at the head, and frees their room. */
  private advance(): void {
    let done: Generation | undefined;
    while (!this.stopped && this.generations[0] !== undefined && this.generations[0].pending === 0) {
      done = this.generations.shift();
    }
    if (done !== undefined) this.checkpoints.writeBehind(done.lastSequenceNumber);
    this.wakeRoomWaiters();
  }

  private wakeRoomWaiters(): void {
    for (const wake of this.roomWaiters.splice(0)) wake();
  }
}
