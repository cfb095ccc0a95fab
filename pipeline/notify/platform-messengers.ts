import type { MessengerSettings } from '../../shared/config/messenger-env.js';
import type { Platform } from '../../shared/domain/user-key.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { Messenger } from '../../shared/ports/messenger.js';
import type { RecipientRepository } from '../../shared/ports/recipient-repository.js';
import { DiscordMessenger } from './discord/discord-messenger.js';
import { discordRestClient, slackWebClient } from './platform-clients.js';
import { SlackMessenger } from './slack/slack-messenger.js';

/** The Discord and Slack messengers for whichever platforms have credentials. */
export function createPlatformMessengers(
  settings: MessengerSettings,
  recipients: RecipientRepository,
  logger: Logger,
): Partial<Record<Platform, Messenger>> {
  const messengers: Partial<Record<Platform, Messenger>> = {};
  if (settings.discord)
    messengers.discord = new DiscordMessenger(discordRestClient(settings.discord), recipients);
  if (settings.slack)
    messengers.slack = new SlackMessenger(slackWebClient(settings.slack), recipients, logger);
  return messengers;
}
