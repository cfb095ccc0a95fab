import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TickSummary } from '../../pipeline/digest/digest-handler.js';
import { sparklineGridSize } from '../../pipeline/notify/chart/sparkline-grid-svg.js';
import { DynamoQuoteRepository } from '../../shared/aws/dynamo-quote-repository.js';
import { DynamoSubscriptionRepository } from '../../shared/aws/dynamo-subscription-repository.js';
import type { Subscription } from '../../shared/domain/subscription.js';
import type { FakeAwsJson } from '../fakes/fake-aws-json.js';
import { FAKE_DISCORD_TOKEN, type FakeDiscord } from '../fakes/fake-discord.js';
import { pngSize } from '../helpers/alerts.js';
import { asMinuteBars, barsFromCloses } from '../helpers/digest-bars.js';
import type { TestAws } from '../helpers/embedded-aws.js';
import { isOpen, listAllShards, waitUntilActive } from '../helpers/kinesis-shards.js';
import {
  type ArtefactWorld,
  invokeArtefact,
  lambdaEnvFor,
  startArtefactWorld,
} from '../helpers/lambda-artefact.js';

/** Tuesday 2024-03-05, a trading day: the daily digest at 16:15 ET is due from 21:15 UTC. */
const DUE = Date.parse('2024-03-05T21:16:00Z');
const OPEN = Date.parse('2024-03-05T09:30:00-05:00');
const GUILD = '500000000000000009';
const CHANNEL = '400000000000009001';
const TOKEN_SECRET = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:stockalert/discord-token';
/** EventBridge Scheduler's LambdaInvoke target with no input sends an empty JSON object. */
const SCHEDULER_EVENT = {};

const SUBSCRIPTION: Subscription = {
  channelKey: `discord:${GUILD}:${CHANNEL}`,
  schedule: { kind: 'daily', hour: 16, minute: 15 },
  symbols: ['BAC', 'IBM'],
  createdBy: 'discord:600000000000000009',
  createdAt: DUE - 86_400_000,
  updatedAt: DUE - 86_400_000,
};

const MAX_HASH = 2n ** 128n - 1n;

describe('scheduled Lambda artefacts under plain node', () => {
  let aws: TestAws;
  let discord: FakeDiscord;
  let fakeAws: FakeAwsJson;
  let world: ArtefactWorld;

  beforeAll(async () => {
    world = await startArtefactWorld(['digest', 'autoscaler']);
    ({ aws, discord, fakeAws } = world);
  }, 180_000);

  afterAll(async () => {
    await world?.stop();
  });

  const bundle = (id: 'digest' | 'autoscaler') => world.bundle(id);

  it('runs the digest on its schedule: one digest with its chart in the due channel, nothing more on a second tick of the period', async () => {
    await new DynamoSubscriptionRepository(aws.clients.dynamo, aws.names.subscriptionsTable).save(
      SUBSCRIPTION,
    );
    await new DynamoQuoteRepository(aws.clients.dynamo, aws.names.quotesTable).saveMinuteBars([
      ...asMinuteBars('BAC', barsFromCloses(OPEN, [34, 34.2, 33.1, 33.3])),
      ...asMinuteBars('IBM', barsFromCloses(OPEN, [190, 191, 195.7])),
    ]);
    fakeAws.putSecret(TOKEN_SECRET, FAKE_DISCORD_TOKEN);
    // As the CDK app configures it: the token's secret, not the token.
    const env = lambdaEnvFor(aws, 'digest', {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: fakeAws.url,
      DISCORD_BOT_TOKEN_SECRET_ARN: TOKEN_SECRET,
      DISCORD_API_URL: discord.apiUrl,
    });

    const first = await invokeArtefact<TickSummary>(bundle('digest'), [SCHEDULER_EVENT], env, {
      clockAt: DUE,
    });

    expect(first.results).toEqual([{ due: 1, posted: 1, skipped: 0, unreachable: 0, failed: 0 }]);
    const [message, ...others] = discord.messages.get(CHANNEL) ?? [];
    expect(others).toEqual([]);
    const embed = message?.embeds?.[0];
    expect(embed?.title).toBe('StockAlert daily digest');
    expect(embed?.description).toContain('IBM     195.70  +3.00%');
    expect(embed?.description).toContain('BAC      33.30  −2.06%');
    // The chart rendered inside the artefact: resvg's wasm and the fonts came from its assets folder.
    const [png] = discord.messageFiles.get(message?.id ?? '') ?? [];
    // Two sparkline panels in the digest chart's three-column grid.
    expect(pngSize(png ?? new Uint8Array())).toEqual(sparklineGridSize(2, 3, false));
    expect(fakeAws.secretReads).toEqual([TOKEN_SECRET]);
    const tick = first.logs.find((line) => line.message === 'digest tick');
    expect(tick).toMatchObject({
      cold_start: true,
      function_request_id: 'request-0',
      service: 'stockalert-digest',
      posted: 1,
    });

    // A later tick in the same period, in a new process (a new cold start): the claim in DynamoDB holds.
    const second = await invokeArtefact<TickSummary>(bundle('digest'), [SCHEDULER_EVENT], env, {
      clockAt: DUE + 5 * 60_000,
    });

    expect(second.results).toEqual([{ due: 1, posted: 0, skipped: 1, unreachable: 0, failed: 0 }]);
    expect(discord.messages.get(CHANNEL)).toHaveLength(1);
  }, 120_000);

  it('runs the autoscaler: a trades shard over 80 % of its write limit in CloudWatch is split at its midpoint', async () => {
    const kinesis = aws.clients.kinesis;
    const streamName = aws.names.tradesStream;
    const before = await listAllShards(kinesis, streamName);
    expect(before.map((shard) => shard.HashKeyRange)).toEqual([
      { StartingHashKey: '0', EndingHashKey: (2n ** 127n - 1n).toString() },
      { StartingHashKey: (2n ** 127n).toString(), EndingHashKey: MAX_HASH.toString() },
    ]);
    const [hot, steady] = before.map((shard) => shard.ShardId ?? '');
    const shardMetric = (shardId: string | undefined, metricName: string) => ({
      namespace: 'AWS/Kinesis',
      metricName,
      dimensions: { StreamName: streamName, ShardId: shardId ?? '' },
    });
    // Per-minute sums: the hot shard at 900 records/s (90 % of 1,000), the other at 500 (50 %).
    fakeAws.putMetricSum(shardMetric(hot, 'IncomingRecords'), 900 * 60);
    fakeAws.putMetricSum(shardMetric(hot, 'IncomingBytes'), 100_000 * 60);
    fakeAws.putMetricSum(shardMetric(steady, 'IncomingRecords'), 500 * 60);
    fakeAws.putMetricSum(shardMetric(steady, 'IncomingBytes'), 300_000 * 60);
    const env = lambdaEnvFor(aws, 'autoscaler', { AWS_ENDPOINT_URL_CLOUDWATCH: fakeAws.url });

    const run = await invokeArtefact(bundle('autoscaler'), [SCHEDULER_EVENT], env);

    expect(run.results).toEqual([
      {
        action: 'split',
        shardId: hot,
        newStartingHashKey: (2n ** 126n).toString(),
        why: 'at 90 % of its write limit',
      },
    ]);
    expect(fakeAws.metricQueries).toEqual([
      shardMetric(hot, 'IncomingBytes'),
      shardMetric(hot, 'IncomingRecords'),
      shardMetric(steady, 'IncomingBytes'),
      shardMetric(steady, 'IncomingRecords'),
    ]);
    await waitUntilActive(kinesis, streamName);
    const after = await listAllShards(kinesis, streamName);
    const children = after.filter((shard) => shard.ParentShardId === hot);
    expect(children.map((shard) => shard.HashKeyRange)).toEqual([
      { StartingHashKey: '0', EndingHashKey: (2n ** 126n - 1n).toString() },
      { StartingHashKey: (2n ** 126n).toString(), EndingHashKey: (2n ** 127n - 1n).toString() },
    ]);
    expect(after.filter(isOpen).map((shard) => shard.ShardId)).toEqual([
      steady,
      ...children.map((shard) => shard.ShardId),
    ]);
    expect(run.logs.find((line) => line.message === 'reshard')).toMatchObject({
      action: 'split',
      service: 'stockalert-autoscaler',
      cold_start: true,
      function_request_id: 'request-0',
    });
  }, 120_000);
});
