import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAlertRepository } from '../../shared/aws/dynamo-alert-repository.js';
import { DynamoQuoteRepository } from '../../shared/aws/dynamo-quote-repository.js';
import { DynamoRecipientRepository } from '../../shared/aws/dynamo-recipient-repository.js';
import type { ResourceNames } from '../../shared/aws/resources.js';
import type { MessengerSettings } from '../../shared/config/messenger-env.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { Messenger } from '../../shared/ports/messenger.js';
import type { Metrics } from '../../shared/ports/metrics.js';
import type { PoisonRecordSink } from '../../shared/ports/poison-record-sink.js';
import type { DeliveryObserver } from './delivery-timing.js';
import { LogMessenger } from './log-messenger.js';
import { MessengerRouter } from './messenger-router.js';
import type { NotifierDeps, NotifierStats } from './notifier-handler.js';
import { createPlatformMessengers } from './platform-messengers.js';

/** The notifier's share of config: the same in the Lambda, the local pipeline and `npm start`. */
export interface NotifierSettings {
  readonly names: ResourceNames;
  /** Platform credentials (already resolved from env or Secrets Manager). */
  readonly messengers: MessengerSettings;
}

/** The only client the notifier uses. */
export interface NotifierClients {
  readonly dynamo: DynamoDBDocumentClient;
}

/** What differs between the worlds: how it logs and counts, where poison records and console DMs go. */
export interface NotifierRuntime {
  readonly logger: Logger;
  readonly metrics?: Metrics;
  readonly poisonSink?: PoisonRecordSink;
  readonly stats?: NotifierStats;
  /** Where `console:` users' DMs go: the console chat locally; the log in a Lambda (the default). */
  readonly consoleMessenger?: Messenger;
  /** Replaces the whole routing (tests and benches that collect every DM themselves). */
  readonly messenger?: Messenger;
  /** The delivery claim's lease (see NotifierDeps.claimLeaseMs); harnesses shorten it. */
  readonly claimLeaseMs?: number;
  /** Sees each DM's step timings (the system harness's latency stages). */
  readonly observeDelivery?: DeliveryObserver;
}

/**
 * The one wiring of the notifier handler's dependencies: each DM goes to the messenger of its
 * recipient's platform (Discord, Slack, console), configured from `settings.messengers`.
 */
export function notifierDeps(
  settings: NotifierSettings,
  clients: NotifierClients,
  runtime: NotifierRuntime,
): NotifierDeps {
  const { names } = settings;
  const { logger } = runtime;
  const recipients = new DynamoRecipientRepository(clients.dynamo, names.recipientsTable);
  const messenger =
    runtime.messenger ??
    new MessengerRouter({
      console: runtime.consoleMessenger ?? new LogMessenger(logger),
      ...createPlatformMessengers(settings.messengers, recipients, logger),
    });
  return {
    alerts: new DynamoAlertRepository(clients.dynamo, names.alertsTable),
    messenger,
    recipients,
    priceHistory: new DynamoQuoteRepository(clients.dynamo, names.quotesTable),
    logger,
    ...(runtime.metrics && { metrics: runtime.metrics }),
    ...(runtime.poisonSink && { poisonSink: runtime.poisonSink }),
    ...(runtime.stats && { stats: runtime.stats }),
    ...(runtime.claimLeaseMs !== undefined && { claimLeaseMs: runtime.claimLeaseMs }),
    ...(runtime.observeDelivery && { observeDelivery: runtime.observeDelivery }),
  };
}
