import { PutRecordsCommand, SplitShardCommand } from '@aws-sdk/client-kinesis';
import type { KinesisStreamRecord } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type FailedBatch,
  type KinesisBatchHandler,
  KinesisEventSource,
} from '../../pipeline/runner/kinesis-event-source.js';
import { readyShards, SHARD_END } from '../../pipeline/runner/shard-lineage.js';
import { DynamoCheckpointStore } from '../../shared/aws/dynamo-checkpoint-store.js';
import type { EventSourceSettings } from '../../shared/aws/event-source-settings.js';
import { uniqueName } from '../helpers/embedded-aws.js';
import { createActiveStream, isOpen, listAllShards, waitUntilActive } from '../helpers/kinesis-shards.js';
import { memoryLogger } from '../helpers/local-pipeline-harness.js';
import { useTestAws } from '../helpers/use-test-aws.js';

const SETTINGS: EventSourceSettings = {
  batchSize: 10,
  maxBatchingWindowSeconds: 0,
  bisectBatchOnError: false,
  retryAttempts: 0,
  reportBatchItemFailures: true,
  startingPosition: 'TRIM_HORIZON',
  maxRecordAgeSeconds: -1,
  parallelizationFactor: 1,
  onFailureQueue: 'detectorFailures',
};

const SYMBOLS = ['AAPL', 'BAC', 'IBM', 'MSFT', 'NVDA', 'SPY', 'XOM', 'AIG'] as const;

interface Delivered {
  readonly symbol: string;
  readonly n: number;
  readonly shardId: string;
}

function delivered(record: KinesisStreamRecord): Delivered {
  const [symbol, n] = Buffer.from(record.kinesis.data, 'base64').toString('utf8').split(':');
  return { symbol: symbol ?? '', n: Number(n), shardId: record.eventID.split(':')[0] ?? '' };
}

describe('readyShards', () => {
  const parent = { shardId: 'p', parentShardIds: [], closed: true };
  const children = [
    { shardId: 'c1', parentShardIds: ['p'], closed: false },
    { shardId: 'c2', parentShardIds: ['p'], closed: false },
  ];
  const merged = { shardId: 'm', parentShardIds: ['c1', 'c2'], closed: false };

  it('holds the children of a split back until the parent is read to its end', () => {
    expect(readyShards([parent, ...children], new Set(), new Set())).toEqual(['p']);
    expect(readyShards([parent, ...children], new Set(['p']), new Set())).toEqual(['c1', 'c2']);
  });

  it('holds a merged shard back until both parents are finished', () => {
    const shards = [parent, ...children, merged];
    expect(readyShards(shards, new Set(['p', 'c1']), new Set(['c2']))).toEqual([]);
    expect(readyShards(shards, new Set(['p', 'c1', 'c2']), new Set())).toEqual(['m']);
  });

  it('starts a child at once when its parent has aged out of the stream', () => {
    expect(readyShards(children, new Set(), new Set())).toEqual(['c1', 'c2']);
  });
});

describe('KinesisEventSource across a reshard', () => {
  const aws = useTestAws();
  let checkpoints: DynamoCheckpointStore;
  const runners: KinesisEventSource[] = [];

  beforeAll(async () => {
    checkpoints = new DynamoCheckpointStore(aws.clients.dynamo, aws.names.checkpointsTable);
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
  });

  function runner(
    streamName: string,
    handler: KinesisBatchHandler,
    settings: Partial<EventSourceSettings> = {},
  ) {
    const failed: FailedBatch[] = [];
    const source = new KinesisEventSource({
      kinesis: aws.clients.kinesis,
      checkpoints,
      streamName,
      handler,
      settings: { ...SETTINGS, ...settings },
      logger: memoryLogger().logger,
      idlePollMs: 10,
      retryBaseMs: 1,
      onFailure: async (batch) => {
        failed.push(batch);
      },
    });
    runners.push(source);
    return { source, failed };
  }

  /** Puts `rounds` records per symbol, numbered from `from`, one PutRecords call per round (keys in order). */
  async function putRounds(streamName: string, from: number, rounds: number): Promise<void> {
    for (let n = from; n < from + rounds; n += 1) {
      await aws.clients.kinesis.send(
        new PutRecordsCommand({
          StreamName: streamName,
          Records: SYMBOLS.map((symbol) => ({ PartitionKey: symbol, Data: Buffer.from(`${symbol}:${n}`) })),
        }),
      );
    }
  }

  it('keeps every symbol in order when the shard it is reading splits, reading the parent before its children', async () => {
    const streamName = uniqueName('reshard');
    await createActiveStream(aws.clients.kinesis, streamName, 1);
    const seen: Delivered[] = [];
    // A slow handler, so the parent still holds a backlog when the split happens.
    const { source } = runner(streamName, async (event) => {
      seen.push(...event.Records.map(delivered));
      await new Promise((resolve) => setTimeout(resolve, 5));
    });
    await source.start();
    await putRounds(streamName, 0, 40);

    const [parent] = await listAllShards(aws.clients.kinesis, streamName);
    await aws.clients.kinesis.send(
      new SplitShardCommand({
        StreamName: streamName,
        ShardToSplit: parent?.ShardId,
        NewStartingHashKey: (2n ** 127n).toString(),
      }),
    );
    await waitUntilActive(aws.clients.kinesis, streamName);
    expect(seen.length).toBeLessThan(40 * SYMBOLS.length);
    await putRounds(streamName, 40, 40);
    await source.drained();

    const children = (await listAllShards(aws.clients.kinesis, streamName)).filter(isOpen);
    expect(children).toHaveLength(2);
    for (const symbol of SYMBOLS) {
      const mine = seen.filter((record) => record.symbol === symbol);
      expect(mine.map((record) => record.n)).toEqual(Array.from({ length: 80 }, (_, n) => n));
      // Rounds before the split came from the parent, the rest from one child.
      expect(new Set(mine.slice(0, 40).map((record) => record.shardId))).toEqual(new Set([parent?.ShardId]));
      expect(new Set(mine.slice(40).map((record) => record.shardId)).size).toBe(1);
    }
    // Both children carried records: the split really did move symbols.
    expect(new Set(seen.slice(-SYMBOLS.length * 40).map((record) => record.shardId))).toEqual(
      new Set(children.map((child) => child.ShardId)),
    );
    expect(await checkpoints.get(streamName, parent?.ShardId ?? '')).toBe(SHARD_END);

    // A restart reads neither the finished parent nor anything twice.
    await source.stop();
    const again: Delivered[] = [];
    const restarted = runner(streamName, async (event) => {
      again.push(...event.Records.map(delivered));
    }).source;
    await restarted.start();
    await restarted.drained();
    expect(again).toEqual([]);
  });

  it('sends records older than maxRecordAge to the on-failure destination without invoking the handler', async () => {
    const streamName = uniqueName('record-age');
    await createActiveStream(aws.clients.kinesis, streamName, 1);
    await putRounds(streamName, 0, 2);
    const invoked: Delivered[] = [];
    const { source, failed } = runner(
      streamName,
      async (event) => {
        invoked.push(...event.Records.map(delivered));
      },
      { maxRecordAgeSeconds: 0 },
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    await source.start();
    await source.drained();
    expect(invoked).toEqual([]);
    expect(failed.flatMap((batch) => batch.records.map(delivered))).toHaveLength(2 * SYMBOLS.length);
    expect(failed[0]?.reason).toMatch(/maxRecordAge/);
  });
});
