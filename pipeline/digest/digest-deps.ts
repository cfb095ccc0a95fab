import type { AwsClients } from '../../shared/aws/aws-clients.js';
import { DynamoAlertCounter, DynamoCommunitySymbols } from '../../shared/aws/dynamo-digest-sources.js';
import { DynamoQuoteRepository } from '../../shared/aws/dynamo-quote-repository.js';
import { DynamoSubscriptionRepository } from '../../shared/aws/dynamo-subscription-repository.js';
import type { ResourceNames } from '../../shared/aws/resources.js';
import type { MessengerSettings } from '../../shared/config/messenger-env.js';
import { PLATFORM_REQUEST_TIMEOUT_MS } from '../../shared/domain/platform-limits.js';
import type { Platform } from '../../shared/domain/user-key.js';
import type { Logger } from '../../shared/ports/logger.js';
import { discordRestClient } from '../notify/discord/discord-rest-client.js';
import { slackWebClient } from '../notify/slack/slack-web-client.js';
import type { ChannelPoster } from './channel-poster.js';
import type { DigestHandlerDeps } from './digest-handler.js';
import { DiscordChannelPoster } from './discord/discord-channel-poster.js';
import { SlackChannelPoster } from './slack/slack-channel-poster.js';

/** A channel poster for each platform with credentials. */
export function createChannelPosters(
  settings: MessengerSettings,
  logger: Logger,
): Partial<Record<Platform, ChannelPoster>> {
  const timeout = settings.requestTimeoutMs ?? PLATFORM_REQUEST_TIMEOUT_MS;
  return {
    ...(settings.discord && {
      discord: new DiscordChannelPoster(discordRestClient(settings.discord, timeout)),
    }),
    ...(settings.slack && { slack: new SlackChannelPoster(slackWebClient(settings.slack, timeout), logger) }),
  };
}

/**
 * The digest handler's dependencies over DynamoDB: the one wiring used by the Lambda, by `npm start`'s
 * local scheduler and by the bot's `/digest now`. `extraPosters` adds or replaces platforms (the console).
 */
export function digestDeps(
  clients: Pick<AwsClients, 'dynamo'>,
  names: ResourceNames,
  messengers: MessengerSettings,
  logger: Logger,
  extraPosters: Partial<Record<Platform, ChannelPoster>> = {},
): DigestHandlerDeps {
  return {
    subscriptions: new DynamoSubscriptionRepository(clients.dynamo, names.subscriptionsTable),
    quotes: new DynamoQuoteRepository(clients.dynamo, names.quotesTable),
    alerts: new DynamoAlertCounter(clients.dynamo, names.alertsTable),
    communitySymbols: new DynamoCommunitySymbols(clients.dynamo, names.watchesTable),
    posters: { ...createChannelPosters(messengers, logger), ...extraPosters },
    logger,
  };
}
