import type { KinesisStreamEvent } from 'aws-lambda';
import { createDynamoClients, createSqsClient } from '../../shared/aws/aws-clients.js';
import { PowertoolsSecretReader } from '../../shared/aws/powertools-secret-reader.js';
import { SqsPoisonRecordSink } from '../../shared/aws/sqs-poison-record-sink.js';
import type { MessengerSettings } from '../../shared/config/messenger-env.js';
import { createLambdaTools, lambdaHandler } from '../lambda/lambda-tools.js';
import { warmAlertCharts } from './chart/alert-chart.js';
import { rebuildOnChange, resolveMessengerSettings } from './messenger-secrets.js';
import { loadNotifierConfig } from './notifier-config.js';
import { notifierDeps } from './notifier-deps.js';
import { createNotifierHandler, newNotifierStats } from './notifier-handler.js';

const config = loadNotifierConfig(process.env);
const tools = createLambdaTools(config);
const clients = createDynamoClients(config.connection);
const poisonSink = new SqsPoisonRecordSink(
  createSqsClient(config.connection),
  config.names.notifierFailureQueue,
);
const secrets = new PowertoolsSecretReader(config.connection);
const stats = newNotifierStats();
// The chart renderer is compiled during the function's init (about 1 s of CPU, see warmChartRenderer), not
// during the first batch: the handler itself is built at the first invocation, once the tokens are known.
await warmAlertCharts();
const notifierFor = rebuildOnChange((messengers: MessengerSettings) =>
  createNotifierHandler(notifierDeps({ ...config, messengers }, clients, { ...tools, poisonSink, stats })),
);

/** The Kinesis-triggered notifier Lambda for the alerts stream; tokens from env or Secrets Manager. */
export const handler = lambdaHandler(tools, async (event: KinesisStreamEvent) => {
  const messengers = await resolveMessengerSettings(config.messengers, config.messengerSecrets, secrets);
  return notifierFor(messengers)(event);
});
