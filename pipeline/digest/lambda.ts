import { createDynamoClients } from '../../shared/aws/aws-clients.js';
import { PowertoolsSecretReader } from '../../shared/aws/powertools-secret-reader.js';
import type { MessengerSettings } from '../../shared/config/messenger-env.js';
import { createLambdaTools, lambdaHandler } from '../lambda/lambda-tools.js';
import { rebuildOnChange, resolveMessengerSettings } from '../notify/messenger-secrets.js';
import { loadDigestConfig } from './digest-config.js';
import { digestDeps } from './digest-deps.js';
import { createDigestHandler } from './digest-handler.js';

const config = loadDigestConfig(process.env);
const tools = createLambdaTools(config);
const clients = createDynamoClients(config.connection);
const secrets = new PowertoolsSecretReader(config.connection);
const digestsFor = rebuildOnChange((messengers: MessengerSettings) =>
  createDigestHandler(digestDeps(clients, config.names, messengers, tools.logger)),
);

/**
 * The digest Lambda, invoked by an EventBridge Scheduler rule (every few minutes, America/New_York).
 * The time is the invocation's own clock, not the event's: a late or retried invocation then posts what
 * is due now, and the per-period claim keeps a retry from posting twice. Tokens from env or Secrets Manager.
 */
export const handler = lambdaHandler(tools, async () => {
  const messengers = await resolveMessengerSettings(config.messengers, config.messengerSecrets, secrets);
  return digestsFor(messengers).tick(Date.now());
});
