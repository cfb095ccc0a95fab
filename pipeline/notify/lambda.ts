import { createAwsClients } from '../../shared/aws/aws-clients.js';
import { DynamoAlertRepository } from '../../shared/aws/dynamo-alert-repository.js';
import { DynamoQuoteRepository } from '../../shared/aws/dynamo-quote-repository.js';
import { DynamoRecipientRepository } from '../../shared/aws/dynamo-recipient-repository.js';
import { createPowertoolsLogger } from '../../shared/log/powertools-logger.js';
import { LogMessenger } from './log-messenger.js';
import { MessengerRouter } from './messenger-router.js';
import { loadNotifierConfig } from './notifier-config.js';
import { createNotifierHandler } from './notifier-handler.js';
import { createPlatformMessengers } from './platform-messengers.js';

const config = loadNotifierConfig(process.env);
const clients = createAwsClients(config.connection);
const logger = createPowertoolsLogger(config.serviceName);

const recipients = new DynamoRecipientRepository(clients.dynamo, config.names.recipientsTable);

/** The Kinesis-triggered notifier Lambda for the alerts stream. */
export const handler = createNotifierHandler({
  alerts: new DynamoAlertRepository(clients.dynamo, config.names.alertsTable),
  messenger: new MessengerRouter({
    console: new LogMessenger(logger),
    ...createPlatformMessengers(config.messengers, recipients, logger),
  }),
  recipients,
  priceHistory: new DynamoQuoteRepository(clients.dynamo, config.names.quotesTable),
  logger,
});
