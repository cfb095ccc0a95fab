import {
  type _Record,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamRecord } from 'aws-lambda';
import type { CheckpointStore } from '../../shared/ports/checkpoint-store.js';
import { type BatchDeliverySource, deliverBatch } from './batch-delivery.js';
import { CheckpointWriter } from './checkpoint-writer.js';
import { splitByRecordAge } from './record-age.js';
import { SHARD_END } from './shard-lineage.js';
import { toKinesisEventRecord } from './to-kinesis-event-record.js';

/** How a shard loop ended: stopped by the runner (or a cut-short delivery), or a closed shard read to its end. */
export type ShardOutcome = 'ended' | 'stopped';

/** The event source's options that reading a shard uses. */
export interface ShardReadingOptions {
  readonly kinesis: KinesisClient;
  readonly checkpoints: CheckpointStore;
  readonly region?: string;
  /** Pause after an empty poll (Lambda polls each shard about once a second). */
  readonly idlePollMs?: number;
  /**
   * Make each shard loop's first idle pause a random part of one (default true): it sets the loop at a
   * random phase, so two runners started together do not poll in phase. Every idle pause stays exactly
   * idlePollMs: a spread pause (½–1½ ×) let one wait reach 1½ intervals, and two of them (trades, then
   * alerts) summed past Lambda's budget of 2 intervals (docs/architecture.md, "System proof").
   */
  readonly idlePollJitter?: boolean;
}

/** What a shard reader needs from its event source: its options, delivery, and drain bookkeeping. */
export interface ShardReaderSource extends BatchDeliverySource, ShardReadingOptions {
  /** The drain epoch of a poll starting now (drain-watch.ts). */
  pollEpoch(): number;
  /** The shard's poll that began in `pollEpoch` came up empty with everything in hand checkpointed. */
  reportIdle(shardId: string, pollEpoch: number): Promise<void>;
}

/**
 * One shard being read, with what both shard loops (read-shard-in-order.ts, read-shard-in-lanes.ts) share:
 * the iterator from the checkpoint, polls filled within the batching window, records past maxRecordAge
 * diverted, the checkpoint writer, delivery with the mapping's retries, and the idle pause whose first
 * one sets the loop's random phase. A reader lives for one attempt at the shard: whatever fails throws,
 * and the event source starts a new reader from the checkpoint after a back-off.
 */
export class ShardReader {
  readonly checkpoints: CheckpointWriter;
  private firstPause = true;

  /** `onProgress` is called after each successful poll (the event source then resets its back-off). */
  constructor(
    private readonly source: ShardReaderSource,
    readonly shardId: string,
    private readonly onProgress: () => void = () => undefined,
  ) {
    this.checkpoints = new CheckpointWriter(source.checkpoints, source.streamName, shardId);
  }

  get stopping(): boolean {
    return this.source.isStopping();
  }

  /** The drain epoch of a poll starting now: pass it to `pauseIdle` if the poll comes up empty. */
  pollEpoch(): number {
    return this.source.pollEpoch();
  }

  /** Where to start: after the checkpoint, or at the mapping's starting position; undefined once read to its end. */
  async iterator(): Promise<string | undefined> {
    const { checkpoints, kinesis, streamName, settings } = this.source;
    const checkpoint = await checkpoints.get(streamName, this.shardId);
    if (checkpoint === SHARD_END) return undefined;
    const result = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: this.shardId,
        ...(checkpoint === undefined
          ? { ShardIteratorType: settings.startingPosition }
          : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: checkpoint }),
      }),
    );
    return result.ShardIterator;
  }

  /** One poll of the shard: up to a batch of records, filled within the mapping's batching window. */
  async poll(from: string): Promise<{ records: KinesisStreamRecord[]; iterator: string | undefined }> {
    const { kinesis, settings } = this.source;
    let iterator: string | undefined = from;
    const records: KinesisStreamRecord[] = [];
    const windowEnds = Date.now() + settings.maxBatchingWindowSeconds * 1000;
    do {
      const result: GetRecordsCommandOutput = await kinesis.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: settings.batchSize - records.length }),
      );
      iterator = result.NextShardIterator;
      for (const record of result.Records ?? []) records.push(this.toEventRecord(record));
      // Within the batching window, keep filling a non-empty batch until it is full.
      if (records.length === 0 || records.length >= settings.batchSize || Date.now() >= windowEnds) break;
      await this.source.sleep(Math.min(this.idlePauseMs(), windowEnds - Date.now()));
    } while (!this.stopping && iterator !== undefined);
    this.onProgress();
    return { records, iterator };
  }

  /**
   * Records older than the mapping's maxRecordAge skip the handler and go to the on-failure
   * destination, as Lambda does; returns the rest.
   */
  async divertExpired(records: KinesisStreamRecord[]): Promise<KinesisStreamRecord[]> {
    const { settings, stats, logger, onFailure, streamName } = this.source;
    const maxAgeSeconds = settings.maxRecordAgeSeconds;
    const { fresh, expired } = splitByRecordAge(records, maxAgeSeconds, Date.now());
    if (expired.length === 0) return fresh;
    stats.failedBatches += 1;
    logger.warn('records expired, sent to on-failure destination', {
      shardId: this.shardId,
      firstSequenceNumber: expired[0]?.kinesis.sequenceNumber,
      records: expired.length,
    });
    await onFailure?.({
      streamName,
      shardId: this.shardId,
      records: expired,
      attempts: 0,
      reason: `older than maxRecordAge (${maxAgeSeconds} s)`,
    });
    return fresh;
  }

  /**
   * Delivers a batch with the mapping's retries and bisection (batch-delivery.ts); false when the runner
   * stopped before it completed. `progress` takes the checkpoints within the batch (a bisected half, the
   * records before a batch item failure).
   */
  deliver(records: KinesisStreamRecord[], progress: Pick<CheckpointWriter, 'write'>): Promise<boolean> {
    return deliverBatch(this.source, this.shardId, records, 0, progress);
  }

  /** After an empty poll with nothing in hand: reports the shard idle, then pauses. */
  async pauseIdle(pollEpoch: number): Promise<void> {
    // Idle means processed and checkpointed: the last batch's checkpoint has landed.
    await this.checkpoints.settled();
    await this.source.reportIdle(this.shardId, pollEpoch);
    const first = this.firstPause;
    this.firstPause = false;
    await this.source.sleep(first ? this.startPhaseMs() : this.idlePauseMs());
  }

  /** After an empty poll while batches are still being delivered: not idle, but nothing to read yet. */
  pauseBusy(): Promise<void> {
    return this.source.sleep(this.idlePauseMs());
  }

  /** The first idle pause of a shard's loop: a random part of one, which sets the loop's phase. */
  private startPhaseMs(): number {
    return this.source.idlePollJitter === false ? this.idlePauseMs() : Math.random() * this.idlePauseMs();
  }

  private idlePauseMs(): number {
    return this.source.idlePollMs ?? 250;
  }

  private toEventRecord(record: _Record): KinesisStreamRecord {
    return toKinesisEventRecord(record, this.shardId, {
      streamName: this.source.streamName,
      region: this.source.region ?? 'us-east-1',
      accountId: '000000000000',
    });
  }
}
