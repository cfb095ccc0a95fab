import type { KinesisStreamEvent } from 'aws-lambda';
import type { AwsClients } from '../../shared/aws/aws-clients.js';
import { DynamoCheckpointStore } from '../../shared/aws/dynamo-checkpoint-store.js';
import { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import { DETECTOR_EVENT_SOURCE, NOTIFIER_EVENT_SOURCE } from '../../shared/aws/event-source-settings.js';
import type { ResourceNames } from '../../shared/aws/resources.js';
import type { MessengerSettings } from '../../shared/config/messenger-env.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { Messenger } from '../../shared/ports/messenger.js';
import { detectorDeps } from '../detect/detector-deps.js';
import { createDetectorHandler, type DetectorStats, newDetectorStats } from '../detect/detector-handler.js';
import type { DeliveryObserver } from '../notify/delivery-timing.js';
import { notifierDeps } from '../notify/notifier-deps.js';
import { createNotifierHandler, type NotifierStats, newNotifierStats } from '../notify/notifier-handler.js';
import {
  type ProduceProgress,
  type ProduceSummary,
  produceTrades,
  type ReplaySpeed,
} from '../producer/produce-trades.js';
import { type KinesisBatchHandler, KinesisEventSource } from '../runner/kinesis-event-source.js';
import { DeadLetterFile } from './dead-letter-file.js';

export interface LocalPipelineOptions {
  readonly clients: AwsClients;
  readonly names: ResourceNames;
  readonly logger: Logger;
  /** Platform credentials: Discord and Slack users get their DMs there (as from the notifier Lambda). */
  readonly messengers?: MessengerSettings;
  /** Where `console:` users' DMs go (the console chat); without it they are logged. */
  readonly consoleMessenger?: Messenger;
  /** Replaces the routing above: every DM goes here (tests and benches that collect DMs). */
  readonly messenger?: Messenger;
  readonly region: string;
  readonly watcherCacheTtlMs: number;
  /** Where failed batches and poison records go; without it they are only logged. */
  readonly deadLetterDir?: string;
  /** The runners' pause after an empty poll (`STOCKALERT_POLL_MS`). */
  readonly idlePollMs?: number;
  /** Start the runners' shard loops at a random phase, so the two do not poll in phase (default true). */
  readonly idlePollJitter?: boolean;
  /** The notifier's delivery claim lease (see NotifierDeps.claimLeaseMs). */
  readonly claimLeaseMs?: number;
  /** Sees each batch as its handler starts on it, for latency measurements. */
  readonly observeBatch?: (streamName: string, event: KinesisStreamEvent, startedAt: number) => void;
  /** Sees each batch as its handler returns (or throws). */
  readonly observeBatchEnd?: (streamName: string, event: KinesisStreamEvent, endedAt: number) => void;
  /** Sees each DM's step timings, for latency measurements. */
  readonly observeDelivery?: DeliveryObserver;
}

export interface ReplayRequest {
  readonly bucket: string;
  readonly key: string;
  readonly speed: ReplaySpeed;
  readonly onProgress?: (progress: ProduceProgress) => void;
  readonly signal?: AbortSignal;
}

/**
 * The whole pipeline in one process, wired exactly as in the cloud: the producer puts trades on the
 * trades stream; an event source runs the detector Lambda handler over it; a second one runs the
 * notifier handler over the alerts stream.
 */
export class LocalPipeline {
  readonly detectorStats: DetectorStats = newDetectorStats();
  readonly notifierStats: NotifierStats = newNotifierStats();
  readonly watches: DynamoWatchRepository;
  private readonly trades: KinesisEventSource;
  private readonly alerts: KinesisEventSource;
  /** The notifier's start-up work (the chart renderer compiled) is done. */
  private readonly notifierReady: Promise<void>;

  constructor(private readonly options: LocalPipelineOptions) {
    const { clients, names, logger } = options;
    this.watches = new DynamoWatchRepository(clients.dynamo, names.watchesTable);
    const checkpoints = new DynamoCheckpointStore(clients.dynamo, names.checkpointsTable);
    // The embedded stack has no SQS: poison records go to the dead-letter file, the local on-failure destination.
    const deadLetters =
      options.deadLetterDir === undefined ? undefined : new DeadLetterFile(options.deadLetterDir);
    const settings = {
      names,
      watcherCacheTtlMs: options.watcherCacheTtlMs,
      messengers: options.messengers ?? {},
    };
    const poisonSink = deadLetters && { poisonSink: deadLetters };
    const detector = createDetectorHandler(
      detectorDeps(settings, clients, {
        logger,
        stats: this.detectorStats,
        watches: this.watches,
        ...poisonSink,
      }),
    );
    const notifier = createNotifierHandler(
      notifierDeps(settings, clients, {
        logger,
        stats: this.notifierStats,
        ...poisonSink,
        ...(options.consoleMessenger && { consoleMessenger: options.consoleMessenger }),
        ...(options.messenger && { messenger: options.messenger }),
        ...(options.claimLeaseMs !== undefined && { claimLeaseMs: options.claimLeaseMs }),
        ...(options.observeDelivery && { observeDelivery: options.observeDelivery }),
      }),
    );
    const common = {
      kinesis: clients.kinesis,
      checkpoints,
      logger,
      region: options.region,
      ...(options.idlePollMs === undefined ? {} : { idlePollMs: options.idlePollMs }),
      ...(options.idlePollJitter === undefined ? {} : { idlePollJitter: options.idlePollJitter }),
      ...(deadLetters && {
        onFailure: (failed: Parameters<DeadLetterFile['failedBatch']>[0]) => deadLetters.failedBatch(failed),
      }),
    };
    this.trades = new KinesisEventSource({
      ...common,
      streamName: names.tradesStream,
      handler: observed(names.tradesStream, detector, options),
      settings: DETECTOR_EVENT_SOURCE,
    });
    this.notifierReady = notifier.ready;
    this.alerts = new KinesisEventSource({
      ...common,
      streamName: names.alertsStream,
      handler: observed(names.alertsStream, notifier, options),
      settings: NOTIFIER_EVENT_SOURCE,
    });
  }

  async start(): Promise<void> {
    await this.notifierReady;
    await Promise.all([this.trades.start(), this.alerts.start()]);
  }

  /** Replays one trades object from S3 onto the trades stream. */
  replay(request: ReplayRequest): Promise<ProduceSummary> {
    return produceTrades({
      s3: this.options.clients.s3,
      kinesis: this.options.clients.kinesis,
      bucket: request.bucket,
      key: request.key,
      streamName: this.options.names.tradesStream,
      speed: request.speed,
      logger: this.options.logger,
      ...(request.onProgress && { onProgress: request.onProgress }),
      ...(request.signal && { signal: request.signal }),
    });
  }

  /** Resolves when every trade put so far has been detected on and every resulting alert delivered. */
  async drained(): Promise<void> {
    await this.trades.drained();
    await this.alerts.drained();
  }

  async stop(): Promise<void> {
    await Promise.all([this.trades.stop(), this.alerts.stop()]);
  }
}

function observed(
  streamName: string,
  handler: KinesisBatchHandler,
  { observeBatch, observeBatchEnd }: Pick<LocalPipelineOptions, 'observeBatch' | 'observeBatchEnd'>,
): KinesisBatchHandler {
  if (observeBatch === undefined && observeBatchEnd === undefined) return handler;
  return async (event) => {
    observeBatch?.(streamName, event, Date.now());
    try {
      return await handler(event);
    } finally {
      observeBatchEnd?.(streamName, event, Date.now());
    }
  };
}
