import type { MessengerSettings } from '../../shared/config/messenger-env.js';
import { PLATFORM_REQUEST_TIMEOUT_MS } from '../../shared/domain/platform-limits.js';
import type { Platform } from '../../shared/domain/user-key.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { DirectChannelPreparer, Messenger } from '../../shared/ports/messenger.js';
import type { RecipientRepository } from '../../shared/ports/recipient-repository.js';
import { CachedDmChannels } from './cached-dm-channels.js';
import { createDiscordMessenger } from './discord/create-discord-messenger.js';
import { MessengerRouter } from './messenger-router.js';
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
  return messengersOver(settings, new CachedDmChannels(table, logger), logger);
}

/**
 * The same messengers' DM channel opening, for the bot's `/watch`: a user's channel is opened and written
 * to the Recipients table when they add a watch, so the notifier finds it there at their first alert. The
 * table is written through, not behind: the stored channel is the point of the call.
 */
export function createDirectChannelPreparer(
  settings: MessengerSettings,
  table: RecipientRepository,
  logger: Logger,
): DirectChannelPreparer {
  return new MessengerRouter(messengersOver(settings, table, logger));
}

function messengersOver(
  settings: MessengerSettings,
  recipients: RecipientRepository,
  logger: Logger,
): Partial<Record<Platform, Messenger>> {
  const timeout = settings.requestTimeoutMs ?? PLATFORM_REQUEST_TIMEOUT_MS;
  return {
    ...(settings.discord && {
      discord: createDiscordMessenger(settings.discord, recipients, logger, timeout),
    }),
    ...(settings.slack && { slack: createSlackMessenger(settings.slack, recipients, logger, timeout) }),
  };
}
