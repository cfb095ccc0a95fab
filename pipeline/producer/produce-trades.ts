import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '../../shared/ports/logger.js';
import type { TradeRecordFormat } from '../../shared/records/trade-record-codec.js';
import type { MarketDataOptions } from '../market-data/market-data-options.js';
import { KinesisRecordSender, PutRecordsError, type SenderOptions } from './kinesis-record-sender.js';
import type { S3ProducerCheckpoints } from './producer-checkpoint.js';
import {
  type ProduceProgress,
  type ReplayPosition,
  type ReplayResult,
  type ReplaySpeed,
  SourceReplay,
} from './replay-sources.js';
import { ShardMap } from './shard-map.js';
import { listSourceObjects } from './source-objects.js';
import type { ShardLimits } from './token-bucket.js';
import { TradePacker } from './trade-packer.js';

export type { ProduceProgress, ReplaySpeed } from './replay-sources.js';

export interface ProduceOptions {
  readonly s3: S3Client;
  readonly kinesis: KinesisClient;
  readonly bucket: string;
  /** One object's key, or a prefix: every object under it is replayed, in time order. */
  readonly key: string;
  readonly streamName: string;
  readonly speed: ReplaySpeed;
  readonly logger: Logger;
  readonly marketData?: MarketDataOptions;
  /** Record format (default `binary`, chosen by benchmark). */
  readonly format?: TradeRecordFormat;
  readonly maxTradesPerRecord?: number;
  /** Per-shard limits (default 1,000 records/s and 1 MiB/s) and retry budget. */
  readonly limits?: ShardLimits;
  readonly retries?: Pick<SenderOptions, 'maxAttempts' | 'retryBaseMs'>;
  /** Saves progress and resumes from it; without it every run starts at the beginning. */
  readonly checkpoints?: S3ProducerCheckpoints;
  /** Ignore a saved checkpoint and start from the beginning. */
  readonly fromStart?: boolean;
  /** Write rejected rows to `rejects/<key>.csv` in the bucket (default true). */
  readonly writeRejects?: boolean;
  readonly onProgress?: (progress: ProduceProgress) => void;
  /** Stops reading; trades already read are still sent, and the checkpoint says where to resume. */
  readonly signal?: AbortSignal;
}

export interface ProduceSummary extends ReplayResult {
  readonly source: string;
  readonly objects: readonly string[];
  readonly shards: number;
  /** Where this run started, when it resumed a checkpoint. */
  readonly resumedFrom: ReplayPosition | undefined;
}

/** The run stopped before the end (Kinesis kept refusing records); its checkpoint lets the same command resume. */
export class ProducerStoppedError extends Error {
  override readonly name = 'ProducerStoppedError';
}

/**
 * The producer: streams market data (trade ticks or OHLCV bars; CSV or NDJSON; plain or gzip) from one
 * S3 object or every object under a prefix, and puts the trades on the trades stream packed per symbol,
 * partitioned by symbol, within each shard's limits, with a resumable checkpoint.
 */
export async function produceTrades(options: ProduceOptions): Promise<ProduceSummary> {
  const source = `s3://${options.bucket}/${options.key}`;
  const marketData = options.marketData ?? {};
  const objects = await listSourceObjects(options.s3, options.bucket, options.key, marketData);
  const shards = await ShardMap.load(options.kinesis, options.streamName);
  const sink = new KinesisRecordSender(options.kinesis, options.streamName, shards, {
    ...(options.limits && { limits: options.limits }),
    ...options.retries,
  });
  const saved = options.fromStart ? undefined : await options.checkpoints?.load(source);
  const resumedFrom = saved && { done: saved.done, object: saved.object, line: saved.line };
  if (resumedFrom) options.logger.info('resuming from checkpoint', { source, ...resumedFrom });
  const save = async (position: ReplayPosition): Promise<void> => {
    await options.checkpoints?.save({
      source,
      ...position,
      lastSequenceByShard: Object.fromEntries(sink.lastSequenceByShard),
      updatedAt: new Date().toISOString(),
    });
  };
  const replay = new SourceReplay(objects, {
    speed: options.speed,
    marketData,
    packer: new TradePacker(options.format ?? 'binary', options.maxTradesPerRecord),
    sink,
    resumeFrom: resumedFrom,
    onProgress: options.onProgress,
    onCheckpoint: save,
    uploadRejects: (log, object) =>
      log.upload(options.writeRejects === false ? undefined : options.s3, options.bucket, object),
    signal: options.signal,
  });
  let result: ReplayResult;
  try {
    result = await replay.run();
  } catch (error) {
    if (!(error instanceof PutRecordsError)) throw error;
    const position = replay.position();
    await save(position);
    throw new ProducerStoppedError(
      `${error.message}. Stopped at line ${position.line} of ${position.object ?? 'the next object'}; ` +
        `run the same command again to resume from there${options.checkpoints ? '' : ' (no checkpoint kept: use the produce command)'}`,
      { cause: error },
    );
  }
  if (result.aborted) await save(replay.position());
  else await options.checkpoints?.clear(source);
  if (result.rejected > 0) {
    options.logger.warn('rows rejected', {
      source,
      rejected: result.rejected,
      samples: result.rejectSamples,
      rejects: result.rejectKeys.map((key) => `s3://${options.bucket}/${key}`),
    });
  }
  return {
    ...result,
    source,
    objects: objects.map((object) => object.name),
    shards: shards.shardIds.length,
    resumedFrom,
  };
}
