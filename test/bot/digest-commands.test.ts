import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandCore } from '../../bot/core/command-core.js';
import { DiscordBot } from '../../bot/discord/discord-bot.js';
import { SLACK_EVENTS_PATH, SlackBot } from '../../bot/slack/slack-bot.js';
import { createDigestHandler } from '../../pipeline/digest/digest-handler.js';
import { DynamoAlertCounter, DynamoCommunitySymbols } from '../../shared/aws/dynamo-digest-sources.js';
import { DynamoQuoteRepository } from '../../shared/aws/dynamo-quote-repository.js';
import { DynamoSubscriptionRepository } from '../../shared/aws/dynamo-subscription-repository.js';
import { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import { answerOf } from '../fakes/discord-harness.js';
import {
  discordUser,
  type InteractionPlace,
  type OptionValue,
  slashCommand,
} from '../fakes/discord-interactions.js';
import { FAKE_DISCORD_TOKEN, FakeDiscord } from '../fakes/fake-discord.js';
import { FAKE_SLACK_BOT_TOKEN, FAKE_SLACK_TEAM_ID, FakeSlack } from '../fakes/fake-slack.js';
import { FAKE_SLACK_SIGNING_SECRET, postSigned, slashCommandPayload } from '../fakes/slack-requests.js';
import { asMinuteBars, barsFromCloses } from '../helpers/digest-bars.js';
import { fakePlatformPosters } from '../helpers/digest-posters.js';
import { RecordingLogger } from '../helpers/recording-logger.js';
import { useTestAws } from '../helpers/use-test-aws.js';

const GUILD_ID = '500000000000000001';
/** Discord's MANAGE_CHANNELS permission bit. */
const MANAGE_CHANNELS = String(1n << 4n);

describe('/digest on Discord and Slack, through the real clients against the fakes', () => {
  const aws = useTestAws();
  let discord: FakeDiscord;
  let slack: FakeSlack;
  let discordBot: DiscordBot;
  let slackBot: SlackBot;
  let subscriptions: DynamoSubscriptionRepository;
  let eventsUrl = '';

  beforeAll(async () => {
    discord = await FakeDiscord.start();
    slack = await FakeSlack.start();
    subscriptions = new DynamoSubscriptionRepository(aws.clients.dynamo, aws.names.subscriptionsTable);
    const quotes = new DynamoQuoteRepository(aws.clients.dynamo, aws.names.quotesTable);
    // Bars from ten minutes ago, so that `/digest now` (04:00 ET to now, or the hour) has something to show.
    const minute = Date.now() - (Date.now() % 60_000) - 10 * 60_000;
    await quotes.saveMinuteBars(asMinuteBars('AAPL', barsFromCloses(minute, [190, 192, 191])));
    const logger = new RecordingLogger();
    const digests = createDigestHandler({
      subscriptions,
      quotes,
      alerts: new DynamoAlertCounter(aws.clients.dynamo, aws.names.alertsTable),
      communitySymbols: new DynamoCommunitySymbols(aws.clients.dynamo, aws.names.watchesTable),
      posters: fakePlatformPosters(discord, slack, logger),
      logger,
    });
    const core = createCommandCore({
      watches: new DynamoWatchRepository(aws.clients.dynamo, aws.names.watchesTable),
      subscriptions,
      digests,
    });
    discordBot = new DiscordBot({
      token: FAKE_DISCORD_TOKEN,
      core,
      readyTimeoutMs: 10_000,
      // /digest now renders a chart; answer by deferring rather than racing the 3 s deadline.
      deferAfterMs: 500,
      clientOptions: { rest: { api: discord.apiUrl, retries: 0, timeout: 5_000 } },
    });
    await discordBot.start();
    slackBot = new SlackBot({
      botToken: FAKE_SLACK_BOT_TOKEN,
      connection: { kind: 'http', signingSecret: FAKE_SLACK_SIGNING_SECRET, port: 0, host: '127.0.0.1' },
      core,
      clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, timeout: 5_000 },
    });
    const { port } = await slackBot.start();
    eventsUrl = `http://127.0.0.1:${port}${SLACK_EVENTS_PATH}`;
  }, 30_000);
  afterAll(async () => {
    await discordBot?.stop();
    await slackBot?.stop();
    await slack?.stop();
    await discord?.stop();
  });

  describe('Discord', () => {
    const manager = discordUser('600000000000000101');
    const member = discordUser('600000000000000102');
    const channelId = '400000000000000101';
    const channelKey = `discord:${GUILD_ID}:${channelId}`;
    const asManager: InteractionPlace = { guildId: GUILD_ID, channelId, permissions: MANAGE_CHANNELS };
    const asMember: InteractionPlace = { guildId: GUILD_ID, channelId, permissions: '0' };

    async function ask(options: Record<string, OptionValue | undefined>, user = manager, place = asManager) {
      const exchange = discord.sendInteraction(slashCommand('digest', options, user, place));
      return answerOf(await discord.waitForAnswer(exchange.interaction.id));
    }

    it('subscribes, changes, shows, posts now and unsubscribes a channel for a member with Manage Channels', async () => {
      expect(await ask({})).toMatch(
        /^No digest in this channel\. A channel manager can turn one on with `\/digest action:on`/,
      );
      expect(await ask({ action: 'on', schedule: 'hourly', symbols: 'aapl, spy' })).toBe(
        '✅ Digest on: hourly, 10:00–16:00 ET on trading days, covering AAPL, SPY. Type `/digest action:now` to see one at once.',
      );
      expect(await subscriptions.get(channelKey)).toMatchObject({
        schedule: { kind: 'hourly' },
        symbols: ['AAPL', 'SPY'],
        createdBy: `discord:${manager.id}`,
      });
      expect(await ask({ action: 'on', time: '09:45' })).toMatch(
        /^✅ Digest updated: daily 09:45 ET on weekdays, covering the symbols people here watch\./,
      );
      expect(await ask({}, member, asMember)).toMatch(
        /^📰 This channel's digest: daily 09:45 ET on weekdays/,
      );
      expect(await ask({ action: 'now' })).toMatch(/^📰 Posted the digest here \(\d+ symbols?\)\.$/);
      expect(discord.messages.get(channelId)?.at(-1)?.embeds?.[0]?.title).toBe('StockAlert daily digest');
      expect(await ask({ action: 'off' })).toMatch(/^🗑️ Digest off/);
      expect(await subscriptions.get(channelKey)).toBeUndefined();
      expect(await ask({ action: 'off' })).toMatch(/^⚠️ This channel has no digest to turn off/);
    });

    it('refuses a member without Manage Channels, says who may, and writes nothing', async () => {
      expect(await ask({ action: 'on' }, member, asMember)).toBe(
        "⚠️ Only members with the Manage Channels permission can change this channel's digest. Ask one of them, or type `/digest` to see the settings.",
      );
      expect(await subscriptions.get(channelKey)).toBeUndefined();
    });

    it('refuses bad input with what to type, and writes nothing', async () => {
      expect(await ask({ action: 'on', time: '25:00' })).toBe(
        '⚠️ "25:00" is not a time. Give a 24-hour New York time such as 16:15 — for example `/digest action:on schedule:daily time:16:15 symbols:AAPL SPY`',
      );
      expect(await ask({ action: 'on', symbols: 'AAPL $$$' })).toMatch(/^⚠️ "\$\$\$" is not a stock symbol/);
      expect(await subscriptions.get(channelKey)).toBeUndefined();
    });

    it('says in a DM that digests are for channels', async () => {
      expect(await ask({ action: 'on' }, manager, 'dm')).toMatch(/^⚠️ Digests are for channels\./);
    });
  });

  describe('Slack (workspace admins and owners manage digests)', () => {
    const admin = 'U0ADMIN001';
    const owner = 'U0OWNER001';
    const member = 'U0MEMBER01';
    const channelId = 'C0DIGEST01';
    const channelKey = `slack:${FAKE_SLACK_TEAM_ID}:${channelId}`;

    async function ask(text: string, userId = admin, channel = channelId): Promise<string> {
      const { id, url } = slack.newResponseUrl();
      const posted = await postSigned(
        eventsUrl,
        slashCommandPayload({ command: '/digest', text, userId, responseUrl: url, channelId: channel }),
      );
      expect(posted.status).toBe(200);
      const response = await slack.waitForResponse(id);
      expect(response.response_type).toBe('ephemeral');
      return String(response.text);
    }

    beforeAll(() => {
      slack.admins.add(admin);
      slack.owners.add(owner);
    });

    it('subscribes, changes, shows, posts now and unsubscribes for an admin or owner', async () => {
      expect(await ask('on daily 16:30 IBM aapl')).toBe(
        '✅ Digest on: daily 16:30 ET on weekdays, covering IBM, AAPL. Type /digest now to see one at once.',
      );
      expect(await subscriptions.get(channelKey)).toMatchObject({
        schedule: { kind: 'daily', hour: 16, minute: 30 },
        symbols: ['IBM', 'AAPL'],
        createdBy: `slack:${FAKE_SLACK_TEAM_ID}:${admin}`,
      });
      expect(await ask('on hourly', owner)).toMatch(/^✅ Digest updated: hourly, 10:00–16:00 ET/);
      expect(await ask('', member)).toMatch(/^📰 This channel's digest: hourly/);
      expect(await ask('now')).toMatch(/^📰 Posted the digest here/);
      expect(slack.messages.get(channelId)?.at(-1)?.text).toMatch(/^StockAlert hourly digest/);
      expect(await ask('off', owner)).toMatch(/^🗑️ Digest off/);
      expect(await subscriptions.get(channelKey)).toBeUndefined();
    });

    it('refuses a member who is not an admin or owner, says who may, and writes nothing', async () => {
      expect(await ask('on', member)).toBe(
        "⚠️ Only workspace admins and owners can change this channel's digest. Ask one of them, or type /digest to see the settings.",
      );
      expect(await subscriptions.get(channelKey)).toBeUndefined();
    });

    it('refuses bad input with what to type instead', async () => {
      expect(await ask('weekly')).toBe(
        '⚠️ "weekly" is not something /digest does. Use on, off or now, or /digest alone to see the settings — for example /digest on daily 16:15 AAPL SPY',
      );
      expect(await ask('now please')).toMatch(/^⚠️ "please" is not something \/digest understands\./);
    });

    it('says in a DM that digests are for channels', async () => {
      expect(await ask('on', admin, 'D0DIRECT01')).toMatch(
        /^⚠️ Digests are for channels\. Type \/digest in the channel/,
      );
    });
  });
});
