import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderConsoleReply } from '../../bot/console/console-text.js';
import { createCommandCore } from '../../bot/core/command-core.js';
import { createDigestHandler, type DigestHandler } from '../../pipeline/digest/digest-handler.js';
import { duePeriod } from '../../pipeline/digest/digest-period.js';
import { DynamoAlertRepository } from '../../shared/aws/dynamo-alert-repository.js';
import { DynamoAlertCounter, DynamoCommunitySymbols } from '../../shared/aws/dynamo-digest-sources.js';
import { DynamoQuoteRepository } from '../../shared/aws/dynamo-quote-repository.js';
import { DynamoSubscriptionRepository } from '../../shared/aws/dynamo-subscription-repository.js';
import { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import type { Subscription } from '../../shared/domain/subscription.js';
import { FakeDiscord } from '../fakes/fake-discord.js';
import { FAKE_SLACK_TEAM_ID, FakeSlack } from '../fakes/fake-slack.js';
import { alertFactory, pngSize } from '../helpers/alerts.js';
import { asMinuteBars, barsFromCloses } from '../helpers/digest-bars.js';
import { fakePlatformPosters } from '../helpers/digest-posters.js';
import { RecordingLogger } from '../helpers/recording-logger.js';
import { useTestAws } from '../helpers/use-test-aws.js';

/** Thursday 2026-12-03: the daily digest is due at 16:15 ET = 21:15 UTC. */
const TICK = Date.parse('2026-12-03T21:16:00Z');
const OPEN = Date.parse('2026-12-03T09:30:00-05:00');
const GUILD = '500000000000000001';

let seq = 0;
function subscription(
  platform: 'discord' | 'slack',
  symbols: string[] = ['BAC', 'IBM', 'SPY'],
): Subscription {
  seq += 1;
  const channelKey =
    platform === 'discord'
      ? `discord:${GUILD}:40000000000000${1000 + seq}`
      : `slack:${FAKE_SLACK_TEAM_ID}:C0DIGEST${seq}`;
  return {
    channelKey,
    schedule: { kind: 'daily', hour: 16, minute: 15 },
    symbols,
    createdBy: 'discord:600000000000000001',
    createdAt: TICK - 86_400_000,
    updatedAt: TICK - 86_400_000,
  };
}
const channelOf = (sub: Subscription) => sub.channelKey.split(':')[2] as string;

describe('digest stage against embedded DynamoDB and fake Discord and Slack', () => {
  const aws = useTestAws();
  let discord: FakeDiscord;
  let slack: FakeSlack;
  let subscriptions: DynamoSubscriptionRepository;
  let logger: RecordingLogger;

  function handler(): DigestHandler {
    return createDigestHandler({
      subscriptions,
      quotes: new DynamoQuoteRepository(aws.clients.dynamo, aws.names.quotesTable),
      alerts: new DynamoAlertCounter(aws.clients.dynamo, aws.names.alertsTable),
      communitySymbols: new DynamoCommunitySymbols(aws.clients.dynamo, aws.names.watchesTable),
      posters: fakePlatformPosters(discord, slack, logger),
      logger,
      now: () => TICK,
    });
  }

  beforeAll(async () => {
    discord = await FakeDiscord.start();
    slack = await FakeSlack.start();
    subscriptions = new DynamoSubscriptionRepository(aws.clients.dynamo, aws.names.subscriptionsTable);
    // The replay: minute bars as the detector writes them, and three alerts (two on BAC in the period).
    const quotes = new DynamoQuoteRepository(aws.clients.dynamo, aws.names.quotesTable);
    await quotes.saveMinuteBars([
      ...asMinuteBars('BAC', barsFromCloses(OPEN, [34, 34.2, 33.1, 33.3])),
      ...asMinuteBars('IBM', barsFromCloses(OPEN, [190, 191, 195.7])),
      ...asMinuteBars('SPY', barsFromCloses(OPEN, [500, 499, 501, 500.5])),
      // The day before: outside the period.
      ...asMinuteBars('SPY', barsFromCloses(OPEN - 86_400_000, [400, 300])),
    ]);
    const alerts = new DynamoAlertRepository(aws.clients.dynamo, aws.names.alertsTable);
    await alerts.record(alertFactory({ symbol: 'BAC', toTs: OPEN + 120_000, fromTs: OPEN }));
    await alerts.record(
      alertFactory({ symbol: 'BAC', toTs: OPEN + 180_000, fromTs: OPEN, userKey: 'slack:T1:U1' }),
    );
    await alerts.record(alertFactory({ symbol: 'BAC', toTs: OPEN - 86_400_000, fromTs: OPEN - 86_460_000 }));
  }, 30_000);
  afterAll(async () => {
    await slack?.stop();
    await discord?.stop();
  });
  beforeEach(() => {
    logger = new RecordingLogger();
  });

  it('builds the digest of a known replay: ranked rows, figures and alert counts from Quotes and Alerts', async () => {
    const sub = subscription('discord');
    const period = duePeriod(sub.schedule, TICK);
    if (period === undefined) throw new Error('expected the daily period to be due');
    const digest = await handler().build(sub, period);
    expect(
      digest.rows.map((row) => [
        row.symbol,
        row.last,
        Number(row.changePct.toFixed(2)),
        row.high,
        row.low,
        row.alerts,
      ]),
    ).toEqual([
      ['IBM', 195.7, 3, 195.7, 190, 0],
      ['BAC', 33.3, -2.06, 34.2, 33.1, 2],
      ['SPY', 500.5, 0.1, 501, 499, 0],
    ]);
  });

  it('posts the due digest once to a Discord channel and once to a Slack channel, even when run twice', async () => {
    const onDiscord = subscription('discord');
    const onSlack = subscription('slack');
    await subscriptions.save(onDiscord);
    await subscriptions.save(onSlack);
    const first = await handler().tick(TICK);
    const second = await handler().tick(TICK + 60_000);
    expect(first).toMatchObject({ posted: 2, failed: 0 });
    expect(second).toMatchObject({ posted: 0, skipped: 2 });

    const discordPosts = discord.messages.get(channelOf(onDiscord)) ?? [];
    expect(discordPosts).toHaveLength(1);
    const embed = discordPosts[0]?.embeds?.[0];
    expect(embed?.title).toBe('StockAlert daily digest');
    expect(embed?.description).toContain('IBM     195.70  +3.00%');
    const [png] = discord.messageFiles.get(discordPosts[0]?.id ?? '') ?? [];
    expect(pngSize(png ?? new Uint8Array()).width).toBeGreaterThan(600);

    const slackPosts = slack.messages.get(channelOf(onSlack)) ?? [];
    expect(slackPosts).toHaveLength(1);
    expect(String(slackPosts[0]?.blocks)).toContain('BAC      33.30  −2.06%');
    expect(
      [...slack.files.values()].some((file) => file.channelId === channelOf(onSlack) && file.bytes > 1000),
    ).toBe(true);
    await subscriptions.remove(onDiscord.channelKey);
    await subscriptions.remove(onSlack.channelKey);
  });

  it('posts once when two runs race for the same period', async () => {
    const sub = subscription('discord');
    await subscriptions.save(sub);
    const results = await Promise.all([handler().tick(TICK), handler().tick(TICK), handler().tick(TICK)]);
    expect(results.map((r) => r.posted).sort()).toEqual([0, 0, 1]);
    expect(discord.messages.get(channelOf(sub)) ?? []).toHaveLength(1);
    await subscriptions.remove(sub.channelKey);
  });

  it('records and skips a channel the bot was removed from, posts the others, and says so at the next /digest', async () => {
    const gone = subscription('discord');
    const goneSlack = subscription('slack');
    const fine = subscription('discord');
    for (const sub of [gone, goneSlack, fine]) await subscriptions.save(sub);
    discord.http.inject({
      path: new RegExp(`^/api/v10/channels/${channelOf(gone)}/messages$`),
      response: { status: 403, body: { message: 'Missing Access', code: 50001 } },
    });
    slack.removedChannels.add(channelOf(goneSlack));

    const summary = await handler().tick(TICK);
    expect(summary).toMatchObject({ due: 3, posted: 1, unreachable: 2, failed: 0 });
    expect(discord.messages.get(channelOf(fine)) ?? []).toHaveLength(1);
    expect((await subscriptions.get(gone.channelKey))?.unreachable).toEqual({ code: '50001', at: TICK });
    expect((await subscriptions.get(goneSlack.channelKey))?.unreachable).toEqual({
      code: 'not_in_channel',
      at: TICK,
    });

    // The next hour's tick (a new period if it were hourly) does not try the removed channel again.
    const calls = discord.http.callsTo('POST', new RegExp(`/channels/${channelOf(gone)}/messages$`)).length;
    await handler().tick(TICK + 60_000);
    expect(discord.http.callsTo('POST', new RegExp(`/channels/${channelOf(gone)}/messages$`))).toHaveLength(
      calls,
    );

    const core = createCommandCore({
      watches: new DynamoWatchRepository(aws.clients.dynamo, aws.names.watchesTable),
      subscriptions,
    });
    const place = {
      kind: 'channel' as const,
      channelKey: gone.channelKey,
      managerRule: 'discord-manage-channels' as const,
      mayManage: async () => false,
    };
    const shown = renderConsoleReply(await core.run('discord:600000000000000009', 'digest', [], place));
    expect(shown).toContain(
      'could not post the digest in this channel on 2026-12-03 21:16 UTC (platform code 50001)',
    );
    const denied = renderConsoleReply(await core.run('discord:600000000000000009', 'digest', ['now'], place));
    expect(denied).toContain('Only members with the Manage Channels permission');
    expect(denied).toContain('platform code 50001');
  });
});
