import { REST } from '@discordjs/rest';
import { WebClient } from '@slack/web-api';
import type { MessengerSettings } from '../../shared/config/messenger-env.js';
import { PLATFORM_REQUEST_TIMEOUT_MS } from '../../shared/domain/platform-limits.js';
import type { Platform } from '../../shared/domain/user-key.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { Messenger } from '../../shared/ports/messenger.js';
import type { RecipientRepository } from '../../shared/ports/recipient-repository.js';
import { DiscordMessenger } from './discord/discord-messenger.js';
import { SlackMessenger } from './slack/slack-messenger.js';

/** Discord's global limit is about 50 requests/s per bot; the REST client paces itself to it. */
const DISCORD_GLOBAL_REQUESTS_PER_SECOND = 50;

/** The Discord and Slack messengers for whichever platforms have credentials. */
export function createPlatformMessengers(
  settings: MessengerSettings,
  recipients: RecipientRepository,
  logger: Logger,
): Partial<Record<Platform, Messenger>> {
  const messengers: Partial<Record<Platform, Messenger>> = {};
  const timeout = settings.requestTimeoutMs ?? PLATFORM_REQUEST_TIMEOUT_MS;
  if (settings.discord) {
    const rest = new REST({
      globalRequestsPerSecond: DISCORD_GLOBAL_REQUESTS_PER_SECOND,
      timeout,
      ...(settings.discord.apiUrl && { api: settings.discord.apiUrl }),
    }).setToken(settings.discord.token);
    messengers.discord = new DiscordMessenger(rest, recipients, logger);
  }
  if (settings.slack) {
    const web = new WebClient(settings.slack.token, {
      ...(settings.slack.apiUrl && { slackApiUrl: settings.slack.apiUrl }),
      timeout,
      // Retries with back-off on 429 (Retry-After) and 5xx, for a few minutes at most rather than 30.
      retryConfig: { retries: 5, factor: 2, minTimeout: 500, maxTimeout: 30_000 },
    });
    messengers.slack = new SlackMessenger(web, recipients, logger);
  }
  return messengers;
}
