import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAlertRepository } from '../../shared/aws/dynamo-alert-repository.js';
import { DynamoQuoteRepository } from '../../shared/aws/dynamo-quote-repository.js';
import { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import { KinesisAlertPublisher } from '../../shared/aws/kinesis-alert-publisher.js';
import type { ResourceNames } from '../../shared/aws/resources.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { Metrics } from '../../shared/ports/metrics.js';
import type { PoisonRecordSink } from '../../shared/ports/poison-record-sink.js';
import type { WatchRepository } from '../../shared/ports/watch-repository.js';
import type { DetectorDeps, DetectorStats } from './detector-handler.js';
import { MoveDetector } from './move-detector.js';
import { WatcherCache } from './watcher-cache.js';

/** The detector's share of config: the same in the Lambda, the local pipeline and `npm start`. */
export interface DetectorSettings {
  readonly names: ResourceNames;
  readonly watcherCacheTtlMs: number;
  /** How many idle, unwatched symbols the detector keeps state for (see MoveDetector). */
  readonly maxUnwatchedSymbols?: number;
}

/** The only clients the detector uses: no S3. */
export interface DetectorClients {
  readonly dynamo: DynamoDBDocumentClient;
  readonly kinesis: KinesisClient;
}

/** What differs between the worlds: how it logs and counts, and where poison records go. */
export interface DetectorRuntime {
  readonly logger: Logger;
  readonly metrics?: Metrics;
  readonly poisonSink?: PoisonRecordSink;
  readonly stats?: DetectorStats;
  /** The watch repository, when the caller shares it (the local pipeline's `/watch` writes to it). */
  readonly watches?: WatchRepository;
}

/**
 * The one wiring of the detector handler's dependencies. Call it once per process (per Lambda
 * environment): the detector's windows and the watcher cache live across invocations.
 */
export function detectorDeps(
  settings: DetectorSettings,
  clients: DetectorClients,
  runtime: DetectorRuntime,
): DetectorDeps {
  const { names } = settings;
  const watches = runtime.watches ?? new DynamoWatchRepository(clients.dynamo, names.watchesTable);
  return {
    detector: new MoveDetector({
      trackQuotes: true,
      ...(settings.maxUnwatchedSymbols !== undefined && {
        maxUnwatchedSymbols: settings.maxUnwatchedSymbols,
      }),
    }),
    quotes: new DynamoQuoteRepository(clients.dynamo, names.quotesTable),
    watchers: new WatcherCache(watches, settings.watcherCacheTtlMs),
    alerts: new DynamoAlertRepository(clients.dynamo, names.alertsTable),
    publisher: new KinesisAlertPublisher(clients.kinesis, names.alertsStream),
    logger: runtime.logger,
    ...(runtime.metrics && { metrics: runtime.metrics }),
    ...(runtime.poisonSink && { poisonSink: runtime.poisonSink }),
    ...(runtime.stats && { stats: runtime.stats }),
  };
}
