import type { MessengerSettings } from '../../shared/config/messenger-env.js';
import { PLATFORM_REQUEST_TIMEOUT_MS } from '../../shared/domain/platform-limits.js';
import type { Platform } from '../../shared/domain/user-key.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { Messenger } from '../../shared/ports/messenger.js';
import type { RecipientRepository } from '../../shared/ports/recipient-repository.js';
import { CachedDmChannels } from './cached-dm-channels.js';
import { createDiscordMessenger } from './discord/create-discord-messenger.js';
import { createSlackMessenger } from './slack/create-slack-messenger.js';

/**
 * The Discord and Slack messengers for whichever platforms have credentials. They read recipients'
 * DM channels through an in-memory cache (CachedDmChannels), shared by both.
 */
export function createPlatformMessengers(
  settings: MessengerSettings,
  table: RecipientRepository,
  logger: Logger,
): Partial<Record<Platform, Messenger>> {
  const recipients = new CachedDmChannels(table, logger);
  const timeout = settings.requestTimeoutMs ?? PLATFORM_REQUEST_TIMEOUT_MS;
  return {
    ...(settings.discord && {
      discord: createDiscordMessenger(settings.discord, recipients, logger, timeout),
    }),
    ...(settings.slack && { slack: createSlackMessenger(settings.slack, recipients, logger, timeout) }),
  };
}
