import { createAwsClients } from '../../shared/aws/aws-clients.js';
import { DynamoAlertRepository } from '../../shared/aws/dynamo-alert-repository.js';
import { createPowertoolsLogger } from '../../shared/log/powertools-logger.js';
import { LogMessenger } from './log-messenger.js';
import { MessengerRouter } from './messenger-router.js';
import { loadNotifierConfig } from './notifier-config.js';
import { createNotifierHandler } from './notifier-handler.js';

const config = loadNotifierConfig(process.env);
const clients = createAwsClients(config.connection);
const logger = createPowertoolsLogger(config.serviceName);

/** The Kinesis-triggered notifier Lambda for the alerts stream. */
export const handler = createNotifierHandler({
  alerts: new DynamoAlertRepository(clients.dynamo, config.names.alertsTable),
  messenger: new MessengerRouter({ console: new LogMessenger(logger) }),
  logger,
});
