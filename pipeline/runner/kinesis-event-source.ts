import {
  type _Record,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamRecord } from 'aws-lambda';
import type { EventSourceSettings } from '../../shared/aws/event-source-settings.js';
import type { CheckpointStore } from '../../shared/ports/checkpoint-store.js';
import type { Logger } from '../../shared/ports/logger.js';
import {
  type BatchDeliverySource,
  deliverBatch,
  type EventSourceStats,
  type FailedBatch,
  type KinesisBatchHandler,
  lastSequence,
} from './batch-delivery.js';
import { CheckpointWriter } from './checkpoint-writer.js';
import { splitByRecordAge } from './record-age.js';
import { ShardLanes } from './shard-lanes.js';
import { listShardNodes, readyShards, SHARD_END, type ShardNode } from './shard-lineage.js';
import { toKinesisEventRecord } from './to-kinesis-event-record.js';

export type { EventSourceStats, FailedBatch, KinesisBatchHandler } from './batch-delivery.js';

export interface KinesisEventSourceOptions {
  readonly kinesis: KinesisClient;
  readonly checkpoints: CheckpointStore;
  readonly streamName: string;
  readonly handler: KinesisBatchHandler;
  readonly settings: EventSourceSettings;
  readonly logger: Logger;
  readonly region?: string;
  /** Pause after an empty poll (Lambda polls each shard about once a second). */
  readonly idlePollMs?: number;
  /**
   * Make each shard loop's first idle pause a random part of one (default true): it sets the loop at a
   * random phase, so two runners
   * started together do not poll in phase. Every idle pause stays exactly idlePollMs: a spread pause
   * (½–1½ ×) let one wait reach 1½ intervals, and two of them (trades, then alerts) summed past Lambda's
   * budget of 2 intervals (docs/architecture.md, "System proof").
   */
  readonly idlePollJitter?: boolean;
  /** Pause before retry n is `retryBaseMs × 2^(n−1)`. */
  readonly retryBaseMs?: number;
  readonly onFailure?: (failed: FailedBatch) => Promise<void>;
}

interface DrainWaiter {
  readonly epoch: number;
  readonly idleShards: Set<string>;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** The runner stopped while someone waited for it to drain. */
export class EventSourceStoppedError extends Error {
  override readonly name = 'EventSourceStoppedError';
}

/** Longest pause between attempts to resume a failing shard. */
const MAX_PAUSE_MS = 5_000;

/**
 * The local stand-in for a Lambda Kinesis event source mapping. Per shard, in order, it delivers
 * `KinesisStreamEvent` batches to the handler with the mapping's semantics: batch size and window,
 * ReportBatchItemFailures (resume at the lowest failed sequence number), bisect on error, bounded
 * retries, then the on-failure destination and onwards, so no record stalls a shard. Progress is
 * checkpointed in the Checkpoints table, so a restart resumes after the last processed record.
 */
export class KinesisEventSource {
  readonly stats: EventSourceStats = { batches: 0, records: 0, failedBatches: 0 };
  /** Shards being read now; a child joins once its parents are finished (read to their end). */
  private readonly running = new Set<string>();
  private readonly finished = new Set<string>();
  private readonly loops = new Set<Promise<void>>();
  private stopping = false;
  private wakeSleepers = new Set<() => void>();
  private epoch = 0;
  private waiters: DrainWaiter[] = [];

  /** Delivery with the mapping's retries and bisection (batch-delivery.ts) over this source's settings. */
  private readonly deliverySource: BatchDeliverySource;

  constructor(private readonly options: KinesisEventSourceOptions) {
    this.deliverySource = {
      ...options,
      stats: this.stats,
      sleep: (ms) => this.sleep(ms),
      isStopping: () => this.stopping,
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
    for (const waiter of this.waiters.splice(0)) {
      waiter.reject(new EventSourceStoppedError(`${this.options.streamName}: stopped before it drained`));
    }
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
    if (this.running.size === 0) return Promise.resolve();
    this.epoch += 1;
    const epoch = this.epoch;
    return new Promise((resolve, reject) =>
      this.waiters.push({ epoch, idleShards: new Set(), resolve, reject }),
    );
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
        const outcome = await this.pollShard(shardId, () => {
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

  /** Reads a shard until the runner stops (`stopped`) or a closed shard has no more records (`ended`). */
  private async pollShard(shardId: string, onProgress: () => void): Promise<'ended' | 'stopped'> {
    const checkpoints = new CheckpointWriter(this.options.checkpoints, this.options.streamName, shardId);
    try {
      const outcome = await this.readShard(shardId, checkpoints, onProgress);
      await checkpoints.settled();
      return outcome;
    } finally {
      await checkpoints.settled().catch(() => undefined);
    }
  }

  private async readShard(
    shardId: string,
    checkpoints: CheckpointWriter,
    onProgress: () => void,
  ): Promise<'ended' | 'stopped'> {
    const { settings } = this.options;
    if (settings.parallelizationFactor > 1) return this.readShardInLanes(shardId, checkpoints, onProgress);
    let iterator = await this.iteratorFor(shardId);
    let firstPause = true;
    while (!this.stopping && iterator !== undefined) {
      const pollEpoch = this.epoch;
      const polled = await this.pollBatch(shardId, iterator);
      iterator = polled.iterator;
      const records = polled.records;
      onProgress();
      if (records.length === 0) {
        await this.pauseIdle(shardId, pollEpoch, checkpoints, firstPause);
        firstPause = false;
        continue;
      }
      const fresh = await this.divertExpired(shardId, records);
      const completed =
        fresh.length === 0 || (await deliverBatch(this.deliverySource, shardId, fresh, 0, checkpoints));
      if (!completed) return 'stopped';
      // The previous batch's write had this whole batch to land; this one runs behind the next poll.
      await checkpoints.settled();
      checkpoints.writeBehind(lastSequence(records));
    }
    return iterator === undefined ? 'ended' : 'stopped';
  }

  /**
   * `readShard` with a parallelisation factor above 1 (Lambda's ParallelizationFactor): each batch is
   * split by partition key into lanes delivered concurrently (shard-lanes.ts), and the next poll does
   * not wait for the batch before it, only for room (at most `parallelizationFactor` batches out).
   * Within a lane the mapping's retries and bisection apply as before; the shard's checkpoint moves only
   * past batches completed in every lane.
   */
  private async readShardInLanes(
    shardId: string,
    checkpoints: CheckpointWriter,
    onProgress: () => void,
  ): Promise<'ended' | 'stopped'> {
    const ignoreProgressWithinBatch = { write: async () => undefined };
    const lanes = new ShardLanes(
      this.options.settings.parallelizationFactor,
      (part) => deliverBatch(this.deliverySource, shardId, part, 0, ignoreProgressWithinBatch),
      checkpoints,
    );
    try {
      let iterator = await this.iteratorFor(shardId);
      let firstPause = true;
      while (!this.stopping && !lanes.stopped && iterator !== undefined) {
        await lanes.whenRoom();
        if (this.stopping || lanes.stopped) break;
        const pollEpoch = this.epoch;
        const polled = await this.pollBatch(shardId, iterator);
        iterator = polled.iterator;
        onProgress();
        if (polled.records.length > 0) {
          lanes.dispatch(polled.records, await this.divertExpired(shardId, polled.records));
        } else if (lanes.idle) {
          await this.pauseIdle(shardId, pollEpoch, checkpoints, firstPause);
          firstPause = false;
        } else {
          // Still delivering: not idle (nor drained), but the next records need not wait for those.
          await this.sleep(this.idlePauseMs());
        }
      }
      await lanes.settled();
      return iterator === undefined && !lanes.stopped ? 'ended' : 'stopped';
    } finally {
      // A lane still delivering must finish before the shard restarts from its checkpoint, or the
      // same key's records could be handled twice at once.
      await lanes.settled().catch(() => undefined);
    }
  }

  /** One poll of a shard: up to a batch of records, filled within the mapping's batching window. */
  private async pollBatch(
    shardId: string,
    from: string,
  ): Promise<{ records: KinesisStreamRecord[]; iterator: string | undefined }> {
    const { kinesis, settings } = this.options;
    let iterator: string | undefined = from;
    const records: KinesisStreamRecord[] = [];
    const windowEnds = Date.now() + settings.maxBatchingWindowSeconds * 1000;
    do {
      const result: GetRecordsCommandOutput = await kinesis.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: settings.batchSize - records.length }),
      );
      iterator = result.NextShardIterator;
      for (const record of result.Records ?? []) records.push(this.toEventRecord(record, shardId));
      // Within the batching window, keep filling a non-empty batch until it is full.
      if (records.length === 0 || records.length >= settings.batchSize || Date.now() >= windowEnds) break;
      await this.sleep(Math.min(this.options.idlePollMs ?? 250, windowEnds - Date.now()));
    } while (!this.stopping && iterator !== undefined);
    return { records, iterator };
  }

  /** After an empty poll with nothing in hand: reports the shard idle, then pauses. */
  private async pauseIdle(
    shardId: string,
    pollEpoch: number,
    checkpoints: CheckpointWriter,
    firstPause: boolean,
  ): Promise<void> {
    // Idle means processed and checkpointed: the last batch's checkpoint has landed.
    await checkpoints.settled();
    // An empty poll on a shard that a reshard has closed is not "drained": its end, and then its
    // children's records, are still to come. Only asked while someone waits for a drain.
    if (this.waiters.length === 0 || !(await this.isClosed(shardId))) this.markIdle(shardId, pollEpoch);
    await this.sleep(firstPause ? this.startPhaseMs() : this.idlePauseMs());
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
    this.settleWaiters();
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

  /**
   * Records older than the mapping's maxRecordAge skip the handler and go to the on-failure
   * destination, as Lambda does; returns the rest.
   */
  private async divertExpired(
    shardId: string,
    records: KinesisStreamRecord[],
  ): Promise<KinesisStreamRecord[]> {
    const maxAgeSeconds = this.options.settings.maxRecordAgeSeconds;
    const { fresh, expired } = splitByRecordAge(records, maxAgeSeconds, Date.now());
    if (expired.length === 0) return fresh;
    this.stats.failedBatches += 1;
    this.options.logger.warn('records expired, sent to on-failure destination', {
      shardId,
      firstSequenceNumber: expired[0]?.kinesis.sequenceNumber,
      records: expired.length,
    });
    await this.options.onFailure?.({
      streamName: this.options.streamName,
      shardId,
      records: expired,
      attempts: 0,
      reason: `older than maxRecordAge (${maxAgeSeconds} s)`,
    });
    return fresh;
  }

  private toEventRecord(record: _Record, shardId: string): KinesisStreamRecord {
    return toKinesisEventRecord(record, shardId, {
      streamName: this.options.streamName,
      region: this.options.region ?? 'us-east-1',
      accountId: '000000000000',
    });
  }

  private async iteratorFor(shardId: string): Promise<string | undefined> {
    const checkpoint = await this.options.checkpoints.get(this.options.streamName, shardId);
    if (checkpoint === SHARD_END) return undefined;
    const result = await this.options.kinesis.send(
      new GetShardIteratorCommand({
        StreamName: this.options.streamName,
        ShardId: shardId,
        ...(checkpoint === undefined
          ? { ShardIteratorType: this.options.settings.startingPosition }
          : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: checkpoint }),
      }),
    );
    return result.ShardIterator;
  }

  private markIdle(shardId: string, pollEpoch: number): void {
    for (const waiter of this.waiters) {
      if (pollEpoch >= waiter.epoch) waiter.idleShards.add(shardId);
    }
    this.settleWaiters();
  }

  /** Resolves each waiter for whom every shard being read has come up empty since it began waiting. */
  private settleWaiters(): void {
    this.waiters = this.waiters.filter((waiter) => {
      for (const shardId of this.running) if (!waiter.idleShards.has(shardId)) return true;
      waiter.resolve();
      return false;
    });
  }

  /** The first idle pause of a shard's loop: a random part of one, which sets the loop's phase. */
  private startPhaseMs(): number {
    return this.options.idlePollJitter === false ? this.idlePauseMs() : Math.random() * this.idlePauseMs();
  }

  private idlePauseMs(): number {
    return this.options.idlePollMs ?? 250;
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
