import { REST } from '@discordjs/rest';
import { WebClient } from '@slack/web-api';
import type { ChannelPoster } from '../../pipeline/digest/channel-poster.js';
import { DiscordChannelPoster } from '../../pipeline/digest/discord/discord-channel-poster.js';
import { SlackChannelPoster } from '../../pipeline/digest/slack/slack-channel-poster.js';
import type { Logger } from '../../shared/ports/logger.js';
import { FAKE_DISCORD_TOKEN, type FakeDiscord } from '../fakes/fake-discord.js';
import { FAKE_SLACK_BOT_TOKEN, type FakeSlack } from '../fakes/fake-slack.js';

/** The digest's channel posters on the real platform clients, pointed at the fakes, without retries. */
export function fakePlatformPosters(
  discord: FakeDiscord,
  slack: FakeSlack,
  logger: Logger,
): { discord: ChannelPoster; slack: ChannelPoster } {
  return {
    discord: new DiscordChannelPoster(
      new REST({ api: discord.apiUrl, retries: 0, timeout: 5_000 }).setToken(FAKE_DISCORD_TOKEN),
    ),
    slack: new SlackChannelPoster(
      new WebClient(FAKE_SLACK_BOT_TOKEN, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } }),
      logger,
    ),
  };
}
