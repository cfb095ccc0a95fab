import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isModule } from '../../infra/build-lambda-bundles.js';
import { NEVER_BUNDLED } from '../../infra/lambda-bundles.js';
import { allChartAssets } from '../../pipeline/notify/chart/chart-assets.js';
import { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import { decodeAlertEvent } from '../../shared/records/alert-event-codec.js';
import type { FakeAwsJson } from '../fakes/fake-aws-json.js';
import { dmChannelIdOf, FAKE_DISCORD_TOKEN, type FakeDiscord } from '../fakes/fake-discord.js';
import { pngSize } from '../helpers/alerts.js';
import type { TestAws } from '../helpers/embedded-aws.js';
import {
  kinesisStreamEvent,
  kinesisStreamRecord,
  readStream,
  tradesStreamRecord,
} from '../helpers/kinesis-records.js';
import {
  type ArtefactRun,
  type ArtefactWorld,
  invokeArtefact,
  lambdaEnvFor,
  startArtefactWorld,
} from '../helpers/lambda-artefact.js';
import { alertItemsOf } from '../helpers/local-pipeline-harness.js';

const T0 = Date.parse('2024-03-05T10:00:00-05:00');
const MIN = 60_000;
const USER = 'discord:300000000000000077';
const TOKEN_SECRET = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:stockalert/discord-token';

/** 100 → 98 → 96.9 over two minutes (a 3.1 % fall), with a poison record between the trades. */
function tradesEvent(): KinesisStreamEvent {
  return kinesisStreamEvent([
    tradesStreamRecord('BAC', [{ symbol: 'BAC', ts: T0, price: 100, size: 100 }], 0),
    tradesStreamRecord('BAC', [{ symbol: 'BAC', ts: T0 + MIN, price: 98, size: 200 }], 1),
    kinesisStreamRecord('{"v":1,"s":"BAC","t":[[17', { index: 2, partitionKey: 'BAC' }),
    tradesStreamRecord('BAC', [{ symbol: 'BAC', ts: T0 + 2 * MIN, price: 96.9, size: 300 }], 3),
  ]);
}

/** The EMF lines of a run, merged: metric name → values. */
function emfMetrics(run: ArtefactRun<unknown>): Map<string, number[]> {
  const metrics = new Map<string, number[]>();
  for (const line of run.logs) {
    if (!('_aws' in line)) continue;
    const aws = line._aws as { CloudWatchMetrics: { Metrics: { Name: string }[] }[] };
    for (const { Name } of aws.CloudWatchMetrics.flatMap((set) => set.Metrics)) {
      const value = line[Name];
      metrics.set(Name, [
        ...(metrics.get(Name) ?? []),
        ...(Array.isArray(value) ? value : [value as number]),
      ]);
    }
  }
  return metrics;
}

describe('Lambda artefacts under plain node', () => {
  let aws: TestAws;
  let discord: FakeDiscord;
  let fakeAws: FakeAwsJson;
  let world: ArtefactWorld;

  beforeAll(async () => {
    world = await startArtefactWorld(['detector', 'notifier']);
    ({ aws, discord, fakeAws } = world);
  }, 180_000);

  afterAll(async () => {
    await world?.stop();
  });

  const bundle = (id: 'detector' | 'notifier') => world.bundle(id);

  it('builds bundles with no emulator in them, no S3 client in the detector, and the chart assets beside the notifier', async () => {
    for (const built of world.artefacts.bundles.values()) {
      expect(built.dir.startsWith(process.cwd())).toBe(false);
      for (const name of NEVER_BUNDLED) {
        expect(built.inputs.filter((input) => isModule(input, name))).toEqual([]);
      }
    }
    const detectorMeta = (await import(`${bundle('detector').dir}/meta.json`, { with: { type: 'json' } }))
      .default as {
      outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
    };
    const shipped = Object.values(detectorMeta.outputs).flatMap((output) =>
      Object.entries(output.inputs)
        .filter(([, input]) => input.bytesInOutput > 0)
        .map(([path]) => path),
    );
    expect(shipped.some((path) => isModule(path, '@aws-sdk/client-kinesis'))).toBe(true);
    expect(shipped.filter((path) => isModule(path, '@aws-sdk/client-s3'))).toEqual([]);

    const { readdir } = await import('node:fs/promises');
    const assets = await readdir(`${bundle('notifier').dir}/assets`);
    expect(assets.sort()).toEqual(
      allChartAssets()
        .map((asset) => asset.name)
        .sort(),
    );
  });

  it('runs the detector on a trades event: the alert is recorded and published, the poison record goes to the failure queue', async () => {
    await new DynamoWatchRepository(aws.clients.dynamo, aws.names.watchesTable).put({
      userKey: USER,
      symbol: 'BAC',
      thresholdPct: 3,
      window: '15m',
      direction: 'both',
      hours: 'all',
      createdAt: T0,
    });
    const env = lambdaEnvFor(aws, 'detector', { AWS_ENDPOINT_URL_SQS: fakeAws.url });

    // The same batch twice in one process: Lambda redelivering it must not publish a second alert.
    const run = await invokeArtefact<KinesisStreamBatchResponse>(
      bundle('detector'),
      [tradesEvent(), tradesEvent()],
      env,
    );

    expect(run.results).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    const [item, ...moreItems] = await alertItemsOf(aws, USER);
    expect(moreItems).toEqual([]);
    expect(item).toMatchObject({
      userKey: USER,
      symbol: 'BAC',
      window: '15m',
      direction: 'down',
      emitted: true,
    });
    const published = (await readStream(aws.clients.kinesis, aws.names.alertsStream)).filter(
      (record) => record.partitionKey === USER,
    );
    expect(published.map((record) => decodeAlertEvent(record.data).alertId)).toEqual([item?.alertId]);

    const poison = fakeAws.queueMessages(aws.names.detectorFailureQueue);
    expect(poison).toHaveLength(2);
    expect(poison[0]).toMatchObject({
      kind: 'poison-record',
      streamName: aws.names.tradesStream,
      sequenceNumber: tradesEvent().Records[2]?.kinesis.sequenceNumber,
      data: tradesEvent().Records[2]?.kinesis.data,
    });

    const errorLog = run.logs.find((line) => line.message === 'poison trade record skipped');
    expect(errorLog).toMatchObject({
      cold_start: true,
      function_request_id: 'request-0',
      service: 'stockalert-detector',
    });
    const laterLog = run.logs.filter((line) => line.message === 'poison trade record skipped')[1];
    expect(laterLog).toMatchObject({ cold_start: false, function_request_id: 'request-1' });
    const metrics = emfMetrics(run);
    expect(metrics.get('Alerts')).toEqual([1]);
    expect(metrics.get('Trades')).toEqual([3, 3]);
    expect(metrics.get('Records')).toEqual([4, 4]);
    expect(metrics.get('PoisonRecords')).toEqual([1, 1]);
  });

  it('runs the notifier on that alert event: one DM on the fake Discord with its chart, the token from Secrets Manager', async () => {
    fakeAws.putSecret(TOKEN_SECRET, FAKE_DISCORD_TOKEN);
    const published = (await readStream(aws.clients.kinesis, aws.names.alertsStream)).filter(
      (record) => record.partitionKey === USER,
    );
    expect(published).toHaveLength(1);
    const event = kinesisStreamEvent(
      published.map((record, index) =>
        kinesisStreamRecord(record.data, { index, partitionKey: USER, streamName: aws.names.alertsStream }),
      ),
    );
    const env = lambdaEnvFor(aws, 'notifier', {
      AWS_ENDPOINT_URL_SQS: fakeAws.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: fakeAws.url,
      DISCORD_BOT_TOKEN_SECRET_ARN: TOKEN_SECRET,
      DISCORD_API_URL: discord.apiUrl,
    });

    const run = await invokeArtefact<KinesisStreamBatchResponse>(bundle('notifier'), [event, event], env);

    expect(run.results).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    const [message, ...others] = discord.messages.get(dmChannelIdOf('300000000000000077')) ?? [];
    expect(others).toEqual([]);
    expect(message?.embeds[0]?.title).toMatch(/^BAC fell 3\.1% in 15 min/);
    const [png] = discord.messageFiles.get(message?.id ?? '') ?? [];
    expect(pngSize(png ?? new Uint8Array()).width).toBeGreaterThan(0);
    // Cached by Powertools Parameters: the warm second invocation does not read it again.
    expect(fakeAws.secretReads).toEqual([TOKEN_SECRET]);
    const [item] = await alertItemsOf(aws, USER);
    expect(item).toMatchObject({ delivery: 'sent' });
    const metrics = emfMetrics(run);
    expect(metrics.get('Deliveries')).toEqual([1]);
    expect(metrics.get('DeliveryLatency')).toHaveLength(1);
    const delivered = run.logs.find((line) => line.message === 'alerts delivered');
    expect(delivered).toMatchObject({ cold_start: true, function_request_id: 'request-0' });
  });
});
