import type { Logger } from '../../../shared/ports/logger.js';
import type { RecipientRepository } from '../../../shared/ports/recipient-repository.js';
import { SlackMessenger } from './slack-messenger.js';
import { slackWebClient } from './slack-web-client.js';

/** The Slack messenger on `@slack/web-api`. */
export function createSlackMessenger(
  settings: { readonly token: string; readonly apiUrl?: string },
  recipients: RecipientRepository,
  logger: Logger,
  timeoutMs: number,
): SlackMessenger {
  return new SlackMessenger(slackWebClient(settings, timeoutMs), recipients, logger, timeoutMs);
}
