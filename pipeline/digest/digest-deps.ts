import type { AwsClients } from '../../shared/aws/aws-clients.js';
import { DynamoAlertCounter, DynamoCommunitySymbols } from '../../shared/aws/dynamo-digest-sources.js';
import { DynamoQuoteRepository } from '../../shared/aws/dynamo-quote-repository.js';
import { DynamoSubscriptionRepository } from '../../shared/aws/dynamo-subscription-repository.js';
import type { ResourceNames } from '../../shared/aws/resources.js';
import type { MessengerSettings } from '../../shared/config/messenger-env.js';
import type { Platform } from '../../shared/domain/user-key.js';
import type { Logger } from '../../shared/ports/logger.js';
import { discordRestClient, slackWebClient } from '../notify/platform-clients.js';
import type { ChannelPoster } from './channel-poster.js';
import type { DigestHandlerDeps } from './digest-handler.js';
import { DiscordChannelPoster } from './discord-channel-poster.js';
import { SlackChannelPoster } from './slack-channel-poster.js';

/** A channel poster for each platform with credentials. */
export function createChannelPosters(
  settings: MessengerSettings,
  logger: Logger,
): Partial<Record<Platform, ChannelPoster>> {
  return {
    ...(settings.discord && { discord: new DiscordChannelPoster(discordRestClient(settings.discord)) }),
    ...(settings.slack && { slack: new SlackChannelPoster(slackWebClient(settings.slack), logger) }),
  };
}

/**
 * The digest handler's dependencies over DynamoDB: the one wiring used by the Lambda, by `npm start`'s
 * local scheduler and by the bot's `/digest now`. `extraPosters` adds or replaces platforms (the console).
 */
export function digestDeps(
  clients: AwsClients,
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
