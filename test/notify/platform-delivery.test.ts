import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_HEIGHT, CHART_WIDTH } from '../../pipeline/notify/chart/alert-chart.js';
import { MessengerRouter } from '../../pipeline/notify/messenger-router.js';
import { createNotifierHandler, newNotifierStats } from '../../pipeline/notify/notifier-handler.js';
import { createPlatformMessengers } from '../../pipeline/notify/platform-messengers.js';
import { DynamoAlertRepository } from '../../shared/aws/dynamo-alert-repository.js';
import { DynamoRecipientRepository } from '../../shared/aws/dynamo-recipient-repository.js';
import type { Alert } from '../../shared/domain/alert.js';
import type { AlertRepository } from '../../shared/ports/alert-repository.js';
import type { PriceHistory } from '../../shared/ports/price-history.js';
import { encodeAlertEvent } from '../../shared/records/alert-event-codec.js';
import { dmChannelIdOf, FAKE_DISCORD_TOKEN, FakeDiscord } from '../fakes/fake-discord.js';
import { FAKE_SLACK_BOT_TOKEN, FakeSlack } from '../fakes/fake-slack.js';
import { waitFor } from '../fakes/wait.js';
import { alertFactory, pngSize } from '../helpers/alerts.js';
import { kinesisStreamEvent, kinesisStreamRecord } from '../helpers/kinesis-records.js';
import { memoryLogger } from '../helpers/local-pipeline-harness.js';
import { useTestAws } from '../helpers/use-test-aws.js';

const history: PriceHistory = {
  pricesBetween: async (_symbol, fromTs, toTs) =>
    Array.from({ length: 16 }, (_, i) => ({
      ts: fromTs + ((toTs - fromTs) * i) / 15,
      price: 13.92 - i * 0.03,
    })),
};

let nextIndex = 0;
function eventOf(alerts: readonly Alert[]) {
  return kinesisStreamEvent(
    alerts.map((alert) =>
      kinesisStreamRecord(encodeAlertEvent(alert), { index: nextIndex++, partitionKey: alert.userKey }),
    ),
  );
}

describe('alert DMs through the real Discord and Slack clients against the fake platforms', () => {
  const aws = useTestAws();
  let discord: FakeDiscord;
  let slack: FakeSlack;
  let repository: DynamoAlertRepository;
  let recipients: DynamoRecipientRepository;

  beforeAll(async () => {
    [discord, slack] = await Promise.all([FakeDiscord.start(), FakeSlack.start()]);
    repository = new DynamoAlertRepository(aws.clients.dynamo, aws.names.alertsTable);
    recipients = new DynamoRecipientRepository(aws.clients.dynamo, aws.names.recipientsTable);
  });
  afterAll(async () => {
    await Promise.all([discord?.stop(), slack?.stop()]);
  });

  function notifier(alerts: AlertRepository = repository, claimLeaseMs = 15_000) {
    const { logger, lines } = memoryLogger();
    const stats = newNotifierStats();
    const messengers = createPlatformMessengers(
      {
        discord: { token: FAKE_DISCORD_TOKEN, apiUrl: discord.apiUrl },
        slack: { token: FAKE_SLACK_BOT_TOKEN, apiUrl: slack.apiUrl },
      },
      recipients,
      logger,
    );
    const handler = createNotifierHandler({
      alerts,
      messenger: new MessengerRouter(messengers),
      recipients,
      priceHistory: history,
      logger,
      stats,
      claimLeaseMs,
    });
    return { handler, stats, lines };
  }

  async function recorded(overrides: Parameters<typeof alertFactory>[0]): Promise<Alert> {
    const alert = alertFactory(overrides);
    await repository.record(alert);
    return alert;
  }

  it('connects to both platforms when the notifier starts, before any alert, and survives a refused token', async () => {
    const postsBefore = discord.http.callsTo('POST', /\/messages$/).length;
    const discordBefore = discord.http.callsTo('GET', /\/users\/@me$/).length;
    const slackBefore = slack.http.callsTo('POST', /\/auth\.test$/).length;
    notifier();
    await waitFor('the start-up calls', () => {
      const discordNow = discord.http.callsTo('GET', /\/users\/@me$/).length;
      return discordNow > discordBefore && slack.http.callsTo('POST', /\/auth\.test$/).length > slackBefore;
    });
    // Only a connection and a credentials check: nobody is messaged.
    expect(discord.http.callsTo('POST', /\/messages$/)).toHaveLength(postsBefore);

    const { logger, lines } = memoryLogger();
    const refused = createPlatformMessengers(
      { discord: { token: 'not-the-bot-token', apiUrl: discord.apiUrl } },
      recipients,
      logger,
    );
    await expect(new MessengerRouter(refused).warm()).resolves.toBeUndefined();
    expect(lines.some((line) => JSON.stringify(line).includes('discord not reachable at start-up'))).toBe(
      true,
    );
  });

  it("reads the DM channels of a batch's recipients in one read, on both platforms", async () => {
    const users = ['discord:300000000000000021', 'discord:300000000000000022', 'slack:T0FAKE0001:U0BATCH03'];
    await recipients.saveDmChannel(users[0] as string, dmChannelIdOf('300000000000000021'));
    await recipients.saveDmChannel(users[1] as string, dmChannelIdOf('300000000000000022'));
    await recipients.saveDmChannel(users[2] as string, 'D0BATCH03');
    const alerts = await Promise.all(users.map((userKey) => recorded({ userKey })));
    const reads = { single: 0, batches: [] as string[][] };
    const counting: DynamoRecipientRepository = Object.create(recipients);
    counting.dmChannel = (userKey) => {
      reads.single += 1;
      return recipients.dmChannel(userKey);
    };
    counting.dmChannels = (userKeys) => {
      reads.batches.push([...userKeys].sort());
      return recipients.dmChannels(userKeys);
    };
    const { logger } = memoryLogger();
    const settings = {
      discord: { token: FAKE_DISCORD_TOKEN, apiUrl: discord.apiUrl },
      slack: { token: FAKE_SLACK_BOT_TOKEN, apiUrl: slack.apiUrl },
    };
    const messenger = new MessengerRouter(createPlatformMessengers(settings, counting, logger));

    await createNotifierHandler({ alerts: repository, messenger, recipients, logger })(eventOf(alerts));

    expect(reads).toEqual({ single: 0, batches: [[...users].sort()] });
    expect(discord.messages.get(dmChannelIdOf('300000000000000021'))).toHaveLength(1);
    expect(discord.messages.get(dmChannelIdOf('300000000000000022'))).toHaveLength(1);
    expect(slack.messages.get('D0BATCH03')).toHaveLength(1);
  });

  describe('Discord', () => {
    it('sends an embed with the move, the rule, the tuning hint, a nonce and the chart as a PNG', async () => {
      const alert = await recorded({ userKey: 'discord:300000000000000001' });

      await notifier().handler(eventOf([alert]));

      const [message, ...others] = discord.messages.get(dmChannelIdOf('300000000000000001')) ?? [];
      expect(others).toEqual([]);
      expect(message?.embeds[0]).toMatchObject({
        title: 'BAC fell 4.1% in 15 min',
        description: '13.92 → 13.35 · 10:00 → 10:07 ET\nYour alert: 3% over 15m.',
        footer: { text: 'Tune it with /watch BAC 6% 15m, or mute it with /unwatch BAC.' },
        image: { url: 'attachment://bac-15m.png' },
      });
      expect(message?.nonce).toMatch(/^[0-9a-f]{25}$/);
      const [png] = discord.messageFiles.get(message?.id ?? '') ?? [];
      expect(pngSize(png ?? new Uint8Array())).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
      expect(await recipients.dmChannel(alert.userKey)).toBe(dmChannelIdOf('300000000000000001'));
    });

    it('opens the DM channel once per user and reuses it', async () => {
      const userKey = 'discord:300000000000000002';
      const first = await recorded({ userKey, symbol: 'BAC' });
      const second = await recorded({ userKey, symbol: 'IBM' });

      await notifier().handler(eventOf([first]));
      await notifier().handler(eventOf([second]));

      const opens = discord.http
        .callsTo('POST', /\/users\/@me\/channels$/)
        .filter((call) => (call.body as { recipient_id: string }).recipient_id === '300000000000000002');
      expect(opens).toHaveLength(1);
      expect(discord.messages.get(dmChannelIdOf('300000000000000002'))).toHaveLength(2);
    });

    it('opens a first DM channel once when the send starts while the open begun ahead is in flight', async () => {
      const userKey = 'discord:300000000000000009';
      const alert = alertFactory({ userKey });
      const messenger = new MessengerRouter(
        createPlatformMessengers(
          { discord: { token: FAKE_DISCORD_TOKEN, apiUrl: discord.apiUrl } },
          recipients,
          memoryLogger().logger,
        ),
      );

      const prepared = messenger.prepareDirect(userKey);
      await messenger.sendDirect(userKey, { text: alert.symbol });
      await prepared;

      const opens = discord.http
        .callsTo('POST', /\/users\/@me\/channels$/)
        .filter((call) => (call.body as { recipient_id: string }).recipient_id === '300000000000000009');
      expect(opens).toHaveLength(1);
      expect(discord.messages.get(dmChannelIdOf('300000000000000009'))).toHaveLength(1);
    });

    it('delivers once through a 429 storm and through 5xx then success', async () => {
      const stormed = await recorded({ userKey: 'discord:300000000000000003' });
      const failing = await recorded({ userKey: 'discord:300000000000000004' });
      discord.rateLimit({
        method: 'POST',
        path: new RegExp(`/channels/${dmChannelIdOf('300000000000000003')}/messages$`),
        retryAfterSeconds: 0.05,
        times: 4,
      });
      discord.http.inject({
        method: 'POST',
        path: new RegExp(`/channels/${dmChannelIdOf('300000000000000004')}/messages$`),
        response: { status: 502 },
        times: 2,
      });

      const { handler, stats } = notifier();
      const response = await handler(eventOf([stormed, failing]));

      expect(response.batchItemFailures).toEqual([]);
      expect(discord.messages.get(dmChannelIdOf('300000000000000003'))).toHaveLength(1);
      expect(discord.messages.get(dmChannelIdOf('300000000000000004'))).toHaveLength(1);
      expect(stats).toMatchObject({ delivered: 2, failed: 0 });
    });

    it('records 50007 "cannot send messages to this user" without retrying, and moves on', async () => {
      const blocked = await recorded({ userKey: 'discord:300000000000000005' });
      const fine = await recorded({ userKey: 'discord:300000000000000006' });
      discord.http.inject({
        method: 'POST',
        path: new RegExp(`/channels/${dmChannelIdOf('300000000000000005')}/messages$`),
        response: { status: 403, body: { message: 'Cannot send messages to this user', code: 50007 } },
        times: 5,
      });

      const { handler, stats } = notifier();
      const response = await handler(eventOf([blocked, fine]));

      expect(response.batchItemFailures).toEqual([]);
      expect(
        discord.http.callsTo(
          'POST',
          new RegExp(`/channels/${dmChannelIdOf('300000000000000005')}/messages$`),
        ),
      ).toHaveLength(1);
      expect(discord.messages.get(dmChannelIdOf('300000000000000006'))).toHaveLength(1);
      expect(stats).toMatchObject({ delivered: 1, failed: 1 });
      expect(await recipients.blocked(blocked.userKey)).toMatchObject({ code: '50007' });
      expect(await repository.claimDelivery(blocked, 0)).toBe('done');
    });

    it('sends no second DM after a crash between the send and the record, thanks to the nonce', async () => {
      const alert = await recorded({ userKey: 'discord:300000000000000007' });
      const crashing: AlertRepository = Object.assign(Object.create(repository) as AlertRepository, {
        finishDelivery: async () => {
          throw new Error('process killed');
        },
      });
      await expect(notifier(crashing, 100).handler(eventOf([alert]))).rejects.toThrow('process killed');
      await new Promise((resolve) => setTimeout(resolve, 200));

      const restarted = notifier(repository, 100);
      const response = await restarted.handler(eventOf([alert]));

      expect(response.batchItemFailures).toEqual([]);
      expect(
        discord.http.callsTo(
          'POST',
          new RegExp(`/channels/${dmChannelIdOf('300000000000000007')}/messages$`),
        ),
      ).toHaveLength(2);
      expect(discord.messages.get(dmChannelIdOf('300000000000000007'))).toHaveLength(1);
      expect(discord.nonceRepeats).toBeGreaterThanOrEqual(1);
    });

    it('sends no second DM when the batch after a crash groups the alerts differently', async () => {
      const userKey = 'discord:300000000000000017';
      const [bac, ibm, aig] = [
        await recorded({ userKey, symbol: 'BAC' }),
        await recorded({ userKey, symbol: 'IBM' }),
        await recorded({ userKey, symbol: 'AIG' }),
      ] as [Alert, Alert, Alert];
      const crashing: AlertRepository = Object.assign(Object.create(repository) as AlertRepository, {
        finishDelivery: async () => {
          throw new Error('process killed');
        },
      });
      // The DM with all three goes out, then the process dies before recording it.
      await expect(notifier(crashing, 100).handler(eventOf([bac, ibm, aig]))).rejects.toThrow(
        'process killed',
      );
      await new Promise((resolve) => setTimeout(resolve, 200));

      // The redelivery comes in two batches: two of the alerts, then the third.
      const restarted = notifier(repository, 100);
      expect((await restarted.handler(eventOf([bac, ibm]))).batchItemFailures).toEqual([]);
      expect((await restarted.handler(eventOf([aig]))).batchItemFailures).toEqual([]);

      const messages = discord.messages.get(dmChannelIdOf('300000000000000017')) ?? [];
      expect(messages).toHaveLength(1);
      expect(messages[0]?.embeds).toHaveLength(3);
      for (const alert of [bac, ibm, aig]) expect(await repository.claimDelivery(alert, 0)).toBe('done');
    });

    it("groups one user's alerts of a batch into one DM with one embed each", async () => {
      const userKey = 'discord:300000000000000008';
      const alerts = [
        await recorded({ userKey, symbol: 'BAC' }),
        await recorded({ userKey, symbol: 'IBM' }),
        await recorded({ userKey, symbol: 'AIG' }),
      ];

      await notifier().handler(eventOf(alerts));

      const messages = discord.messages.get(dmChannelIdOf('300000000000000008')) ?? [];
      expect(messages).toHaveLength(1);
      expect(messages[0]?.embeds.map((embed) => embed.title)).toEqual([
        'BAC fell 4.1% in 15 min',
        'IBM fell 4.1% in 15 min',
        'AIG fell 4.1% in 15 min',
      ]);
    });
  });

  describe('Slack', () => {
    it('posts Block Kit to the DM and uploads the chart into its thread', async () => {
      const alert = await recorded({ userKey: `slack:T0FAKE0001:U0SLACK01` });

      await notifier().handler(eventOf([alert]));

      const [message, ...others] = slack.messages.get('D0SLACK01') ?? [];
      expect(others).toEqual([]);
      expect(message?.text).toMatch(/^BAC fell 4\.1% in 15 min \(13\.92 → 13\.35, 10:00 → 10:07 ET\)/);
      const blocks = JSON.parse(String(message?.blocks)) as { type: string; text?: { text: string } }[];
      expect(blocks[0]?.text?.text).toContain('*BAC fell 4.1% in 15 min*');
      const chart = [...slack.files.values()].find((file) => file.threadTs === message?.ts);
      expect(chart).toMatchObject({ filename: 'bac-15m.png', channelId: 'D0SLACK01' });
      expect(chart?.bytes).toBeGreaterThan(1000);
    });

    it("uploads the chart's bytes while the message is posted, and shares it into the thread after", async () => {
      const alert = await recorded({ userKey: 'slack:T0FAKE0001:U0SLACK0A' });
      slack.http.inject({ path: /^\/api\/chat\.postMessage$/, delayMs: 300 });

      await notifier().handler(eventOf([alert]));

      const order = slack.http.calls
        .filter((call) => /\/(upload\/|api\/(chat\.postMessage|files\.))/.test(call.path))
        .map((call) => call.path.replace(/\/upload\/.*$/, '/upload'));
      // The post took 300 ms; the bytes were up before it was answered, the share came after.
      expect(order.slice(-4)).toEqual([
        '/api/files.getUploadURLExternal',
        '/upload',
        '/api/chat.postMessage',
        '/api/files.completeUploadExternal',
      ]);
      const [message] = slack.messages.get('D0SLACK0A') ?? [];
      const chart = [...slack.files.values()].find((file) => file.threadTs === message?.ts);
      expect(chart).toMatchObject({ filename: 'bac-15m.png', channelId: 'D0SLACK0A' });
      expect(chart?.bytes).toBeGreaterThan(1000);
    });

    it('records the delivery while the chart is still being shared into the thread', async () => {
      const alert = await recorded({ userKey: 'slack:T0FAKE0001:U0SLACK0C' });
      slack.http.inject({ path: /^\/api\/files\.completeUploadExternal$/, delayMs: 500 });
      const shares = () => slack.http.callsTo('POST', /^\/api\/files\.completeUploadExternal$/).length;
      const sharesBefore = shares();
      const sharesAtMark: number[] = [];
      const watching: AlertRepository = Object.assign(Object.create(repository) as AlertRepository, {
        finishDelivery: async (...args: Parameters<AlertRepository['finishDelivery']>) => {
          const done = await repository.finishDelivery(...args);
          sharesAtMark.push(shares() - sharesBefore);
          return done;
        },
      });

      await notifier(watching).handler(eventOf([alert]));

      // The share was still being answered (500 ms) when the DM was marked sent; the batch waited for both.
      expect(sharesAtMark).toEqual([0]);
      expect(shares() - sharesBefore).toBe(1);
      const [message] = slack.messages.get('D0SLACK0C') ?? [];
      expect([...slack.files.values()].some((file) => file.threadTs === message?.ts)).toBe(true);
    });

    it('delivers the DM without its chart when the upload fails, and logs it', async () => {
      const alert = await recorded({ userKey: 'slack:T0FAKE0001:U0SLACK0B' });
      slack.http.inject({ path: /^\/upload\//, response: { status: 500 } });

      const { handler, stats, lines } = notifier();
      const response = await handler(eventOf([alert]));

      expect(response.batchItemFailures).toEqual([]);
      expect(stats.delivered).toBe(1);
      const [message, ...others] = slack.messages.get('D0SLACK0B') ?? [];
      expect(others).toEqual([]);
      expect([...slack.files.values()].some((file) => file.threadTs === message?.ts)).toBe(false);
      expect(lines.some((line) => line.message === 'chart upload failed')).toBe(true);
    });

    it('delivers once through a 429 and through a 5xx then success', async () => {
      const alert = await recorded({ userKey: 'slack:T0FAKE0001:U0SLACK02' });
      slack.rateLimit('chat.postMessage', 1, 1);
      slack.http.inject({ path: /^\/api\/chat\.postMessage$/, response: { status: 503 }, times: 1 });

      const { handler, stats } = notifier();
      await handler(eventOf([alert]));
      await handler(eventOf([alert]));

      expect(slack.messages.get('D0SLACK02')).toHaveLength(1);
      expect(stats).toMatchObject({ delivered: 1, duplicates: 1 });
    });

    it('records user_not_found as a permanent failure and does not retry it', async () => {
      const alert = await recorded({ userKey: 'slack:T0FAKE0001:U0GONE001' });
      slack.http.inject({
        path: /^\/api\/conversations\.open$/,
        response: { status: 200, body: { ok: false, error: 'user_not_found' } },
      });

      const { handler, stats } = notifier();
      const response = await handler(eventOf([alert]));

      expect(response.batchItemFailures).toEqual([]);
      expect(stats.failed).toBe(1);
      expect(await recipients.blocked(alert.userKey)).toMatchObject({ code: 'user_not_found' });
    });
  });
});
