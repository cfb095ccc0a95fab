import type { BatchDeliveryOptions, EventSourceStats } from './batch-delivery.js';
import { DrainWatch, EventSourceStoppedError } from './drain-watch.js';
import { readShardInLanes } from './read-shard-in-lanes.js';
import { readShardInOrder } from './read-shard-in-order.js';
import { listShardNodes, readyShards, SHARD_END, type ShardNode } from './shard-lineage.js';
import {
  type ShardOutcome,
  ShardReader,
  type ShardReaderSource,
  type ShardReadingOptions,
} from './shard-reader.js';

export type { EventSourceStats, FailedBatch, KinesisBatchHandler } from './batch-delivery.js';
export { EventSourceStoppedError } from './drain-watch.js';

export interface KinesisEventSourceOptions extends ShardReadingOptions, BatchDeliveryOptions {}

/** Longest pause between attempts to resume a failing shard. */
const MAX_PAUSE_MS = 5_000;

/**
 * The local stand-in for a Lambda Kinesis event source mapping. Per shard, in order, it delivers
 * `KinesisStreamEvent` batches to the handler with the mapping's semantics: batch size and window,
 * ReportBatchItemFailures (resume at the lowest failed sequence number), bisect on error, bounded
 * retries, then the on-failure destination and onwards, so no record stalls a shard. Progress is
 * checkpointed in the Checkpoints table, so a restart resumes after the last processed record.
 * This file starts and stops one loop per shard (read-shard-in-order.ts, or read-shard-in-lanes.ts with a
 * parallelisation factor above 1, both over shard-reader.ts) and follows the shards' lineage.
 */
export class KinesisEventSource {
  readonly stats: EventSourceStats = { batches: 0, records: 0, failedBatches: 0 };
  /** Shards being read now; a child joins once its parents are finished (read to their end). */
  private readonly running = new Set<string>();
  private readonly finished = new Set<string>();
  private readonly loops = new Set<Promise<void>>();
  private readonly drain = new DrainWatch(this.running);
  private stopping = false;
  private wakeSleepers = new Set<() => void>();

  /** What each shard's reader uses: these options, the stats, this source's sleep and drain bookkeeping. */
  private readonly readerSource: ShardReaderSource;

  constructor(private readonly options: KinesisEventSourceOptions) {
    this.readerSource = {
      ...options,
      stats: this.stats,
      sleep: (ms) => this.sleep(ms),
      isStopping: () => this.stopping,
      pollEpoch: () => this.drain.pollEpoch,
      reportIdle: (shardId, pollEpoch) => this.reportIdle(shardId, pollEpoch),
    };
  }

  /**
   * Finds the stream's shards and starts one polling loop per shard that is ready: open or closed,
   * not yet read to its end, with every parent read to its end (see `readyShards`). Children of a
   * reshard start when their parents finish, as with a Lambda event source mapping.
   */
  async start(): Promise<void> {
    const shards = await listShardNodes(this.options.kinesis, this.options.streamName);
    for (const shard of shards) {
      if (shard.closed && (await this.wasReadToEnd(shard.shardId))) this.finished.add(shard.shardId);
    }
    this.startReady(shards);
  }

  /** Lets each shard finish the batch in hand, then stops polling. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const wake of this.wakeSleepers) wake();
    while (this.loops.size > 0) await Promise.all([...this.loops]);
    this.drain.rejectAll(
      () => new EventSourceStoppedError(`${this.options.streamName}: stopped before it drained`),
    );
  }

  /**
   * Resolves once every shard has come up empty on a poll that began after this call:
   * everything put on the stream before the call has been processed. Rejects with
   * EventSourceStoppedError if the runner stops first.
   */
  drained(): Promise<void> {
    if (this.stopping) {
      return Promise.reject(new EventSourceStoppedError(`${this.options.streamName}: already stopped`));
    }
    return this.drain.wait();
  }

  /**
   * Polls one shard until the runner stops or the shard closes. Whatever fails on the way (an expired
   * iterator, Kinesis or DynamoDB unreachable) restarts the shard from its checkpoint after a back-off,
   * so records read but not yet processed are read again and none is skipped.
   */
  private async runShard(shardId: string): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        const outcome = await this.readShard(shardId, () => {
          failures = 0;
        });
        if (outcome === 'ended') await this.finishShard(shardId);
        return;
      } catch (error) {
        if (this.stopping) return;
        failures += 1;
        const pauseMs = Math.min(MAX_PAUSE_MS, (this.options.retryBaseMs ?? 200) * 2 ** (failures - 1));
        this.options.logger.warn('shard polling failed, resuming from the checkpoint', {
          shardId,
          error,
          pauseMs,
        });
        await this.sleep(pauseMs);
      }
    }
  }

  /** One attempt at a shard, in the loop its parallelisation factor calls for, ending with its checkpoints landed. */
  private async readShard(shardId: string, onProgress: () => void): Promise<ShardOutcome> {
    const reader = new ShardReader(this.readerSource, shardId, onProgress);
    const factor = this.options.settings.parallelizationFactor;
    try {
      const outcome = factor > 1 ? await readShardInLanes(reader, factor) : await readShardInOrder(reader);
      await reader.checkpoints.settled();
      return outcome;
    } finally {
      await reader.checkpoints.settled().catch(() => undefined);
    }
  }

  /** A shard came up empty with nothing in hand: it counts towards a drain, unless a reshard has closed it. */
  private async reportIdle(shardId: string, pollEpoch: number): Promise<void> {
    // An empty poll on a shard that a reshard has closed is not "drained": its end, and then its
    // children's records, are still to come. Only asked while someone waits for a drain.
    if (!this.drain.waiting || !(await this.isClosed(shardId))) this.drain.markIdle(shardId, pollEpoch);
  }

  /**
   * A shard read to its end: marks it finished (durably, so a restart does not wait on it), then
   * starts the children whose parents are now all finished.
   */
  private async finishShard(shardId: string): Promise<void> {
    await this.options.checkpoints.put(this.options.streamName, shardId, SHARD_END);
    this.finished.add(shardId);
    this.options.logger.info('shard read to its end', { shardId });
    const shards: ShardNode[] = await listShardNodes(this.options.kinesis, this.options.streamName);
    this.running.delete(shardId);
    if (!this.stopping) this.startReady(shards);
    this.drain.settle();
  }

  private async isClosed(shardId: string): Promise<boolean> {
    const shards = await listShardNodes(this.options.kinesis, this.options.streamName);
    return shards.find((shard) => shard.shardId === shardId)?.closed ?? false;
  }

  private startReady(shards: readonly ShardNode[]): void {
    for (const shardId of readyShards(shards, this.finished, this.running)) {
      this.running.add(shardId);
      const loop: Promise<void> = this.runShard(shardId)
        .catch((error: unknown) => {
          this.options.logger.error('shard loop stopped', { shardId, error });
        })
        .finally(() => this.loops.delete(loop));
      this.loops.add(loop);
    }
  }

  /** A closed shard needs no reading when it was read to its end, or when reading starts at LATEST anyway. */
  private async wasReadToEnd(shardId: string): Promise<boolean> {
    const checkpoint = await this.options.checkpoints.get(this.options.streamName, shardId);
    return (
      checkpoint === SHARD_END ||
      (checkpoint === undefined && this.options.settings.startingPosition === 'LATEST')
    );
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakeSleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakeSleepers.add(wake);
    });
  }
}
