import { WebClient } from '@slack/web-api';
import type { Logger } from '../../../shared/ports/logger.js';
import type { RecipientRepository } from '../../../shared/ports/recipient-repository.js';
import { SlackMessenger } from './slack-messenger.js';

/** The Slack messenger on `@slack/web-api`. */
export function createSlackMessenger(
  settings: { readonly token: string; readonly apiUrl?: string },
  recipients: RecipientRepository,
  logger: Logger,
  timeoutMs: number,
): SlackMessenger {
  const web = new WebClient(settings.token, {
    ...(settings.apiUrl && { slackApiUrl: settings.apiUrl }),
    timeout: timeoutMs,
    // Retries with back-off on 429 (Retry-After) and 5xx, for a few minutes at most rather than 30.
    retryConfig: { retries: 5, factor: 2, minTimeout: 500, maxTimeout: 30_000 },
  });
  return new SlackMessenger(web, recipients, logger);
}
