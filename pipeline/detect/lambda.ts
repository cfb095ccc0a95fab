import { createAwsClients } from '../../shared/aws/aws-clients.js';
import { DynamoAlertRepository } from '../../shared/aws/dynamo-alert-repository.js';
import { DynamoQuoteRepository } from '../../shared/aws/dynamo-quote-repository.js';
import { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import { KinesisAlertPublisher } from '../../shared/aws/kinesis-alert-publisher.js';
import { createPowertoolsLogger } from '../../shared/log/powertools-logger.js';
import { loadDetectorConfig } from './detector-config.js';
import { createDetectorHandler } from './detector-handler.js';
import { MoveDetector } from './move-detector.js';
import { WatcherCache } from './watcher-cache.js';

// Built once per Lambda environment: the detector's windows and the watcher cache live across invocations.
// Poison records are logged with their sequence numbers and skipped; failed batches go to the
// event source mapping's on-failure destination, which the CDK app configures.
const config = loadDetectorConfig(process.env);
const clients = createAwsClients(config.connection);
const logger = createPowertoolsLogger(config.serviceName);

/** The Kinesis-triggered detector Lambda for the trades stream. */
export const handler = createDetectorHandler({
  detector: new MoveDetector({ trackQuotes: true, maxUnwatchedSymbols: config.maxUnwatchedSymbols }),
  quotes: new DynamoQuoteRepository(clients.dynamo, config.names.quotesTable),
  watchers: new WatcherCache(
    new DynamoWatchRepository(clients.dynamo, config.names.watchesTable),
    config.watcherCacheTtlMs,
  ),
  alerts: new DynamoAlertRepository(clients.dynamo, config.names.alertsTable),
  publisher: new KinesisAlertPublisher(clients.kinesis, config.names.alertsStream),
  logger,
});
