import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandCore } from '../../bot/core/command-core.js';
import { MessengerRouter } from '../../pipeline/notify/messenger-router.js';
import { createNotifierHandler } from '../../pipeline/notify/notifier-handler.js';
import {
  createDirectChannelPreparer,
  createPlatformMessengers,
} from '../../pipeline/notify/platform-messengers.js';
import { DynamoAlertRepository } from '../../shared/aws/dynamo-alert-repository.js';
import { DynamoRecipientRepository } from '../../shared/aws/dynamo-recipient-repository.js';
import { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import type { MessengerSettings } from '../../shared/config/messenger-env.js';
import { dmChannelIdOf, FAKE_DISCORD_TOKEN, FakeDiscord } from '../fakes/fake-discord.js';
import { FAKE_SLACK_BOT_TOKEN, FakeSlack } from '../fakes/fake-slack.js';
import { alertFactory, alertsStreamEvent } from '../helpers/alerts.js';
import { aWatch } from '../helpers/feed.js';
import { memoryLogger } from '../helpers/local-pipeline-harness.js';
import { useTestAws } from '../helpers/use-test-aws.js';
import { watchThroughDiscord } from '../system/discord-watch-traffic.js';
import { watchThroughSlack } from '../system/slack-watch-traffic.js';

describe("a user's DM channel is opened when they /watch, not at their first alert", () => {
  const aws = useTestAws();
  let discord: FakeDiscord;
  let slack: FakeSlack;
  let settings: MessengerSettings;
  let recipients: DynamoRecipientRepository;
  let watches: DynamoWatchRepository;

  beforeAll(async () => {
    [discord, slack] = await Promise.all([FakeDiscord.start(), FakeSlack.start()]);
    settings = {
      discord: { token: FAKE_DISCORD_TOKEN, apiUrl: discord.apiUrl },
      slack: { token: FAKE_SLACK_BOT_TOKEN, apiUrl: slack.apiUrl },
    };
    recipients = new DynamoRecipientRepository(aws.clients.dynamo, aws.names.recipientsTable);
    watches = new DynamoWatchRepository(aws.clients.dynamo, aws.names.watchesTable);
  });
  afterAll(async () => {
    await Promise.all([discord?.stop(), slack?.stop()]);
  });

  function core(directMessages = createDirectChannelPreparer(settings, recipients, memoryLogger().logger)) {
    return createCommandCore({ watches, maxWatchesPerUser: 5, directMessages });
  }

  /** The notifier as the pipeline wires it (a fresh instance: nothing cached from the bot). */
  async function deliverFirstAlert(userKey: string): Promise<void> {
    const alerts = new DynamoAlertRepository(aws.clients.dynamo, aws.names.alertsTable);
    const alert = alertFactory({ userKey });
    await alerts.record(alert);
    const { logger } = memoryLogger();
    const messenger = new MessengerRouter(createPlatformMessengers(settings, recipients, logger));
    await createNotifierHandler({ alerts, messenger, recipients, logger })(alertsStreamEvent([alert]));
  }

  it('on Discord: /watch stores the DM channel, and the first alert DM is a post to it with no open', async () => {
    // Prepare
    const userId = '700000000000000001';
    const opensFor = () =>
      discord.http
        .callsTo('POST', /\/users\/@me\/channels$/)
        .filter((call) => (call.body as { recipient_id: string }).recipient_id === userId);
    // Act
    await watchThroughDiscord(
      discord,
      core(),
      [aWatch({ userKey: `discord:${userId}`, symbol: 'BAC' })],
      false,
    );
    const stored = await recipients.dmChannel(`discord:${userId}`);
    const opensAtWatch = opensFor().length;
    await deliverFirstAlert(`discord:${userId}`);
    // Assess
    expect(stored).toBe(dmChannelIdOf(userId));
    expect(opensAtWatch).toBe(1);
    expect(opensFor()).toHaveLength(1);
    expect(discord.messages.get(dmChannelIdOf(userId))).toHaveLength(1);
  });

  it('on Slack: /watch stores the DM channel, and the first alert DM is a post to it with no open', async () => {
    // Prepare
    const userKey = 'slack:T0FAKE0001:U0WATCH01';
    const opensFor = () =>
      slack.http
        .callsTo('POST', /conversations\.open$/)
        .filter((call) => (call.body as { users?: string }).users === 'U0WATCH01');
    // Act
    await watchThroughSlack(slack, core(), [aWatch({ userKey, symbol: 'BAC' })]);
    const stored = await recipients.dmChannel(userKey);
    const opensAtWatch = opensFor().length;
    await deliverFirstAlert(userKey);
    // Assess
    expect(stored).toBe('D0WATCH01');
    expect(opensAtWatch).toBe(1);
    expect(opensFor()).toHaveLength(1);
    expect(slack.messages.get('D0WATCH01')).toHaveLength(1);
  });

  it('opens a channel once for a user who adds several watches', async () => {
    // Prepare
    const userId = '700000000000000002';
    const bot = core();
    // Act
    await watchThroughDiscord(
      discord,
      bot,
      [
        aWatch({ userKey: `discord:${userId}`, symbol: 'BAC' }),
        aWatch({ userKey: `discord:${userId}`, symbol: 'IBM' }),
      ],
      false,
    );
    // Assess
    const opens = discord.http
      .callsTo('POST', /\/users\/@me\/channels$/)
      .filter((call) => (call.body as { recipient_id: string }).recipient_id === userId);
    expect(opens).toHaveLength(1);
  });

  it('still saves and confirms the watch when the channel cannot be opened, and logs why', async () => {
    // Prepare
    const { logger, lines } = memoryLogger();
    const failing = {
      prepareDirect: async () => {
        throw new Error('platform unreachable');
      },
    };
    const userKey = 'discord:700000000000000003';
    // Act
    const result = await createCommandCore({ watches, logger, directMessages: failing }).run(
      userKey,
      'watch',
      ['BAC', '3%', '15m'],
    );
    // Assess
    expect(result.kind).toBe('watched');
    expect(await watches.listByUser(userKey)).toHaveLength(1);
    expect(lines.map((line) => line.message)).toContain('dm channel not opened ahead');
  });

  it('opens nothing when the watch is refused', async () => {
    // Prepare
    const userKey = 'discord:700000000000000004';
    const asked: string[] = [];
    const recording = { prepareDirect: async (key: string) => void asked.push(key) };
    const bot = createCommandCore({ watches, maxWatchesPerUser: 1, directMessages: recording });
    await bot.run(userKey, 'watch', ['BAC', '3%', '15m']);
    // Act
    const refused = await bot.run(userKey, 'watch', ['IBM', '3%', '15m']);
    // Assess
    expect(refused.kind).toBe('rejected');
    expect(asked).toEqual([userKey]);
  });
});
