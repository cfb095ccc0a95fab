import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import type { EventSourceSettings } from '../../shared/aws/event-source-settings.js';
import type { Logger } from '../../shared/ports/logger.js';
import { firstFailedIndex } from './batch-failure.js';
import type { CheckpointWriter } from './checkpoint-writer.js';

export type KinesisBatchHandler = (
  event: KinesisStreamEvent,
  // biome-ignore lint/suspicious/noConfusingVoidType: a Lambda Kinesis handler may return nothing, as Lambda allows.
) => Promise<KinesisStreamBatchResponse | undefined | void>;

/** A batch the handler could not process within its retries: what Lambda sends to the on-failure destination. */
export interface FailedBatch {
  readonly streamName: string;
  readonly shardId: string;
  readonly records: readonly KinesisStreamRecord[];
  readonly attempts: number;
  readonly reason: string;
}

export interface EventSourceStats {
  batches: number;
  records: number;
  failedBatches: number;
}

/** The event source's options that delivering a batch uses (the mapping's handler, retries, on-failure). */
export interface BatchDeliveryOptions {
  readonly streamName: string;
  readonly handler: KinesisBatchHandler;
  readonly settings: EventSourceSettings;
  readonly logger: Logger;
  /** Pause before retry n is `retryBaseMs × 2^(n−1)`. */
  readonly retryBaseMs?: number;
  readonly onFailure?: (failed: FailedBatch) => Promise<void>;
}

/** What delivering a batch needs from its event source: its options, stats and stop signal. */
export interface BatchDeliverySource extends BatchDeliveryOptions {
  readonly stats: EventSourceStats;
  /** A pause the event source cuts short when it stops. */
  sleep(ms: number): Promise<void>;
  isStopping(): boolean;
}

/**
 * Delivers one batch until it succeeds, is bisected, or exhausts its retries. Returns false only
 * when the runner is stopping mid-retry: the batch is then not checkpointed and is redelivered next start.
 * `checkpoints` takes the progress within the batch (a bisected half, the records before a batch item
 * failure); a lane of a shard read in parallel passes one that ignores it (shard-lanes.ts).
 */
export async function deliverBatch(
  source: BatchDeliverySource,
  shardId: string,
  batch: KinesisStreamRecord[],
  attemptsSoFar: number,
  checkpoints: Pick<CheckpointWriter, 'write'>,
): Promise<boolean> {
  const { settings, logger } = source;
  let pending = batch;
  let attempts = attemptsSoFar;
  for (;;) {
    let failedAt: number | undefined;
    let reason: string;
    let functionError = false;
    try {
      const response = await source.handler({ Records: pending });
      source.stats.batches += 1;
      failedAt = settings.reportBatchItemFailures ? firstFailedIndex(pending, response) : undefined;
      if (failedAt === undefined) {
        source.stats.records += pending.length;
        return true;
      }
      reason = `batch item failure at ${pending[failedAt]?.kinesis.sequenceNumber}`;
    } catch (error) {
      functionError = true;
      reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    if (failedAt !== undefined && failedAt > 0) {
      const done = pending.slice(0, failedAt);
      source.stats.records += done.length;
      await checkpoints.write(lastSequence(done));
      pending = pending.slice(failedAt);
    }
    if (functionError && settings.bisectBatchOnError && pending.length > 1) {
      const half = Math.ceil(pending.length / 2);
      logger.warn('batch failed, bisecting', { shardId, records: pending.length, reason });
      // As in Lambda, splitting does not count towards the retry quota: a lone poison record still
      // gets its retries before it goes to the on-failure destination.
      if (!(await deliverBatch(source, shardId, pending.slice(0, half), attempts, checkpoints))) return false;
      await checkpoints.write(lastSequence(pending.slice(0, half)));
      return deliverBatch(source, shardId, pending.slice(half), attempts, checkpoints);
    }
    attempts += 1;
    if (settings.retryAttempts >= 0 && attempts > settings.retryAttempts) {
      source.stats.failedBatches += 1;
      logger.error('batch sent to on-failure destination', {
        shardId,
        firstSequenceNumber: pending[0]?.kinesis.sequenceNumber,
        records: pending.length,
        attempts,
        reason,
      });
      await source.onFailure?.({
        streamName: source.streamName,
        shardId,
        records: pending,
        attempts,
        reason,
      });
      return true;
    }
    logger.warn('batch failed, retrying', { shardId, attempt: attempts, reason });
    await source.sleep((source.retryBaseMs ?? 200) * 2 ** (attempts - 1));
    if (source.isStopping()) return false;
  }
}

export function lastSequence(records: readonly KinesisStreamRecord[]): string {
  return records[records.length - 1]?.kinesis.sequenceNumber ?? '';
}
