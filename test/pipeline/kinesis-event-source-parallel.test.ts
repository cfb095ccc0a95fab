import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type KinesisBatchHandler, KinesisEventSource } from '../../pipeline/runner/kinesis-event-source.js';
import { DynamoCheckpointStore } from '../../shared/aws/dynamo-checkpoint-store.js';
import type { EventSourceSettings } from '../../shared/aws/event-source-settings.js';
import { stableBucket } from '../../shared/records/stable-bucket.js';
import { waitFor } from '../fakes/wait.js';
import { uniqueName } from '../helpers/embedded-aws.js';
import { textOf } from '../helpers/kinesis-records.js';
import { createActiveStream } from '../helpers/kinesis-shards.js';
import { memoryLogger } from '../helpers/local-pipeline-harness.js';
import { useTestAws } from '../helpers/use-test-aws.js';

const LANES = 4;

const SETTINGS: EventSourceSettings = {
  batchSize: 10,
  maxBatchingWindowSeconds: 0,
  bisectBatchOnError: false,
  retryAttempts: 3,
  reportBatchItemFailures: true,
  startingPosition: 'TRIM_HORIZON',
  maxRecordAgeSeconds: -1,
  parallelizationFactor: LANES,
  onFailureQueue: 'notifierFailures',
};

/** A back-off far longer than any test may wait: only stop() can cut it short. */
const FOREVER_MS = 10 * 60_000;

/** Two partition keys that fall in different lanes. */
function keysInTwoLanes(): { slow: string; fast: string } {
  const slow = 'user-slow';
  for (let i = 0; ; i += 1) {
    const fast = `user-fast-${i}`;
    if (stableBucket(fast, LANES) !== stableBucket(slow, LANES)) return { slow, fast };
  }
}

describe('stableBucket', () => {
  it('keeps a partition key in one lane and spreads keys over all lanes', () => {
    const keys = Array.from({ length: 200 }, (_, i) => `user-${i}`);
    expect(keys.map((key) => stableBucket(key, LANES))).toEqual(keys.map((key) => stableBucket(key, LANES)));
    expect(new Set(keys.map((key) => stableBucket(key, LANES)))).toEqual(new Set([0, 1, 2, 3]));
    expect(new Set(keys.map((key) => stableBucket(key, 1)))).toEqual(new Set([0]));
  });
});

describe('KinesisEventSource with a parallelisation factor above 1', () => {
  const aws = useTestAws();
  let checkpoints: DynamoCheckpointStore;
  const runners: KinesisEventSource[] = [];

  beforeAll(() => {
    checkpoints = new DynamoCheckpointStore(aws.clients.dynamo, aws.names.checkpointsTable);
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
  });

  async function put(streamName: string, entries: readonly { key: string; data: string }[]) {
    const result = await aws.clients.kinesis.send(
      new PutRecordsCommand({
        StreamName: streamName,
        Records: entries.map((entry) => ({ PartitionKey: entry.key, Data: Buffer.from(entry.data) })),
      }),
    );
    return (result.Records ?? []).map((record) => ({
      shardId: record.ShardId ?? '',
      sequenceNumber: record.SequenceNumber ?? '',
    }));
  }

  async function startedRunner(
    streamName: string,
    handler: KinesisBatchHandler,
  ): Promise<KinesisEventSource> {
    const runner = new KinesisEventSource({
      kinesis: aws.clients.kinesis,
      checkpoints,
      streamName,
      handler,
      settings: SETTINGS,
      logger: memoryLogger().logger,
      region: aws.connection.region,
      idlePollMs: 10,
      retryBaseMs: FOREVER_MS,
    });
    runners.push(runner);
    await runner.start();
    return runner;
  }

  it('delivers the next batch past a slow one, keeps each key in order, and checkpoints only past batches done in every lane', async () => {
    // Prepare
    const { slow, fast } = keysInTwoLanes();
    const streamName = uniqueName('lanes');
    await createActiveStream(aws.clients.kinesis, streamName, 1);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const delivered: string[] = [];
    const handler: KinesisBatchHandler = async (event) => {
      if (event.Records.some((record) => textOf(record) === 'slow-1')) await held;
      delivered.push(...event.Records.map(textOf));
      return undefined;
    };
    const first = await put(streamName, [
      { key: slow, data: 'slow-1' },
      { key: fast, data: 'fast-1' },
    ]);
    const shardId = first[0]?.shardId ?? '';
    const runner = await startedRunner(streamName, handler);
    await waitFor('the first batch’s fast lane', () => delivered.includes('fast-1'));

    // Act
    const second = await put(streamName, [
      { key: fast, data: 'fast-2' },
      { key: slow, data: 'slow-2' },
    ]);
    await waitFor('the second batch’s fast lane, while slow-1 is held', () => delivered.includes('fast-2'));
    const checkpointWhileHeld = await checkpoints.get(streamName, shardId);
    const deliveredWhileHeld = [...delivered];
    release();
    await runner.drained();

    // Assess
    expect(deliveredWhileHeld).toEqual(['fast-1', 'fast-2']);
    expect(checkpointWhileHeld).toBeUndefined();
    expect(delivered.filter((text) => text.startsWith('slow'))).toEqual(['slow-1', 'slow-2']);
    expect(delivered.filter((text) => text.startsWith('fast'))).toEqual(['fast-1', 'fast-2']);
    expect(await checkpoints.get(streamName, shardId)).toBe(second.at(-1)?.sequenceNumber);
  });

  it('redelivers after a restart every record of a batch one lane did not finish, though later batches did', async () => {
    // Prepare
    const { slow, fast } = keysInTwoLanes();
    const streamName = uniqueName('lanes');
    await createActiveStream(aws.clients.kinesis, streamName, 1);
    const firstDelivered: string[] = [];
    let slowAttempts = 0;
    const failingSlow: KinesisBatchHandler = async (event) => {
      if (event.Records.some((record) => textOf(record).startsWith('slow'))) {
        slowAttempts += 1;
        throw new Error('slow lane fails');
      }
      firstDelivered.push(...event.Records.map(textOf));
      return undefined;
    };
    await put(streamName, [
      { key: slow, data: 'slow-1' },
      { key: fast, data: 'fast-1' },
    ]);
    const firstRunner = await startedRunner(streamName, failingSlow);
    await waitFor(
      'the slow lane to fail once',
      () => slowAttempts === 1 && firstDelivered.includes('fast-1'),
    );
    await put(streamName, [{ key: fast, data: 'fast-2' }]);
    await waitFor('the later batch', () => firstDelivered.includes('fast-2'));

    // Act: stopped during the slow lane's back-off, its batch unfinished.
    await firstRunner.stop();
    const secondDelivered: string[] = [];
    const second = await startedRunner(streamName, async (event) => {
      secondDelivered.push(...event.Records.map(textOf));
      return undefined;
    });
    await second.drained();

    // Assess
    expect(firstDelivered).toEqual(['fast-1', 'fast-2']);
    expect([...secondDelivered].sort()).toEqual(['fast-1', 'fast-2', 'slow-1']);
  });
});
