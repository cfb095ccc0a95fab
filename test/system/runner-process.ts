/**
 * The runner under test, as its own process so the harness can SIGKILL it mid-batch: the detector and the
 * notifier on their streams (LocalPipeline), talking to AWS and the chat platforms through the endpoints
 * the harness gives it (fault proxies in front of the embedded stack; the fake Discord and Slack).
 * Started by RunnerChild with its settings as JSON in argv[2]; reports each batch to the parent over IPC.
 */
import { createWriteStream } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { LocalPipeline } from '../../pipeline/local/local-pipeline.js';
import type { DeliveryTiming } from '../../pipeline/notify/delivery-timing.js';
import { MessengerRouter } from '../../pipeline/notify/messenger-router.js';
import { createPlatformMessengers } from '../../pipeline/notify/platform-messengers.js';
import { createAwsClients } from '../../shared/aws/aws-clients.js';
import type { AwsConnection } from '../../shared/aws/aws-connection.js';
import { DynamoRecipientRepository } from '../../shared/aws/dynamo-recipient-repository.js';
import type { ResourceNames } from '../../shared/aws/resources.js';
import type { MessengerSettings } from '../../shared/config/messenger-env.js';
import { JsonLinesLogger } from '../../shared/log/json-lines-logger.js';

export interface RunnerSettings {
  readonly connection: AwsConnection;
  readonly names: ResourceNames;
  readonly messengers: MessengerSettings;
  readonly pollMs: number;
  readonly pollJitter: boolean;
  readonly claimLeaseMs: number;
  readonly deadLetterDir: string;
  readonly logFile: string;
}

/** Messages from the runner to the harness. */
export type RunnerMessage =
  | { readonly type: 'started' }
  | { readonly type: 'drained' }
  | {
      readonly type: 'batch';
      readonly stream: string;
      readonly startedAt: number;
      readonly sequenceNumbers: readonly string[];
    }
  | {
      readonly type: 'batchEnd';
      readonly stream: string;
      readonly endedAt: number;
      readonly firstSequenceNumber: string;
    }
  | { readonly type: 'delivery'; readonly timing: DeliveryTiming }
  /** How long the runner's event loop was blocked (timers late), sent with each `drained`. */
  | { readonly type: 'loopDelay'; readonly p99Ms: number; readonly maxMs: number }
  | { readonly type: 'stats'; readonly detector: unknown; readonly notifier: unknown };

/** Messages from the harness to the runner. */
export type RunnerCommand = { readonly type: 'drain' } | { readonly type: 'stop' };

async function main(): Promise<void> {
  const settings = JSON.parse(process.argv[2] ?? '{}') as RunnerSettings;
  const send = (message: RunnerMessage) => process.send?.(message);
  const clients = createAwsClients(settings.connection);
  const log = createWriteStream(settings.logFile, { flags: 'a' });
  const logger = new JsonLinesLogger(log, 'info');
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const recipients = new DynamoRecipientRepository(clients.dynamo, settings.names.recipientsTable);
  const pipeline = new LocalPipeline({
    clients,
    names: settings.names,
    messenger: new MessengerRouter(createPlatformMessengers(settings.messengers, recipients, logger)),
    logger,
    region: settings.connection.region,
    watcherCacheTtlMs: 600_000,
    idlePollMs: settings.pollMs,
    idlePollJitter: settings.pollJitter,
    claimLeaseMs: settings.claimLeaseMs,
    deadLetterDir: settings.deadLetterDir,
    observeBatch: (stream, event, startedAt) =>
      send({
        type: 'batch',
        stream,
        startedAt,
        sequenceNumbers: event.Records.map((record) => record.kinesis.sequenceNumber),
      }),
    observeBatchEnd: (stream, event, endedAt) =>
      send({
        type: 'batchEnd',
        stream,
        endedAt,
        firstSequenceNumber: event.Records[0]?.kinesis.sequenceNumber ?? '',
      }),
    observeDelivery: (timing) => send({ type: 'delivery', timing }),
  });
  await pipeline.start();
  send({ type: 'started' });
  process.on('message', (command: RunnerCommand) => {
    if (command.type === 'drain') {
      void pipeline.drained().then(
        () => {
          const p99Ms = loopDelay.percentile(99) / 1e6;
          send({ type: 'loopDelay', p99Ms, maxMs: loopDelay.max / 1e6 });
          send({ type: 'drained' });
        },
        () => undefined,
      );
    } else {
      void pipeline.stop().then(() => {
        send({ type: 'stats', detector: pipeline.detectorStats, notifier: pipeline.notifierStats });
        clients.destroy();
        log.end(() => process.exit(0));
      });
    }
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `runner failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
