import { createAwsClients } from '../../shared/aws/aws-clients.js';
import { createPowertoolsLogger } from '../../shared/log/powertools-logger.js';
import { loadDigestConfig } from './digest-config.js';
import { digestDeps } from './digest-deps.js';
import { createDigestHandler } from './digest-handler.js';

const config = loadDigestConfig(process.env);
const clients = createAwsClients(config.connection);
const logger = createPowertoolsLogger(config.serviceName);
const digests = createDigestHandler(digestDeps(clients, config.names, config.messengers, logger));

/**
 * The digest Lambda, invoked by an EventBridge Scheduler rule (every few minutes, America/New_York).
 * The time is the invocation's own clock, not the event's: a late or retried invocation then posts what
 * is due now, and the per-period claim keeps a retry from posting twice.
 */
export const handler = async () => digests.tick(Date.now());
