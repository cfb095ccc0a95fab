import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FailedBatch } from '../../pipeline/runner/batch-delivery.js';
import { SHARD_END } from '../../pipeline/runner/shard-lineage.js';
import { ShardReader, type ShardReaderSource } from '../../pipeline/runner/shard-reader.js';
import { DynamoCheckpointStore } from '../../shared/aws/dynamo-checkpoint-store.js';
import { DETECTOR_EVENT_SOURCE, type EventSourceSettings } from '../../shared/aws/event-source-settings.js';
import type { CheckpointStore } from '../../shared/ports/checkpoint-store.js';
import { uniqueName } from '../helpers/embedded-aws.js';
import { textOf } from '../helpers/kinesis-records.js';
import { createActiveStream } from '../helpers/kinesis-shards.js';
import { memoryLogger } from '../helpers/local-pipeline-harness.js';
import { useTestAws } from '../helpers/use-test-aws.js';

const SHARD = 'shardId-000000000000';
const IDLE_POLL_MS = 1_000;

/** The detector's mapping, with small batches and no age limit unless a test sets one. */
const SETTINGS: EventSourceSettings = { ...DETECTOR_EVENT_SOURCE, batchSize: 10, maxRecordAgeSeconds: -1 };

/** What a reader asked of its event source: the pauses it took, the idle reports, the failed batches. */
interface Recorded {
  readonly sleeps: number[];
  readonly idle: { shardId: string; pollEpoch: number }[];
  readonly failed: FailedBatch[];
}

describe('ShardReader on embedded Kinesis and DynamoDB', () => {
  const aws = useTestAws();
  let checkpoints: DynamoCheckpointStore;

  beforeAll(() => {
    checkpoints = new DynamoCheckpointStore(aws.clients.dynamo, aws.names.checkpointsTable);
  });

  function readerSource(
    streamName: string,
    overrides: Partial<ShardReaderSource> = {},
  ): { source: ShardReaderSource; recorded: Recorded } {
    const recorded: Recorded = { sleeps: [], idle: [], failed: [] };
    const source: ShardReaderSource = {
      kinesis: aws.clients.kinesis,
      checkpoints,
      streamName,
      settings: SETTINGS,
      logger: memoryLogger().logger,
      handler: async () => undefined,
      stats: { batches: 0, records: 0, failedBatches: 0 },
      idlePollMs: IDLE_POLL_MS,
      onFailure: async (failed) => {
        recorded.failed.push(failed);
      },
      sleep: async (ms) => {
        recorded.sleeps.push(ms);
      },
      isStopping: () => false,
      pollEpoch: () => 7,
      reportIdle: async (shardId, pollEpoch) => {
        recorded.idle.push({ shardId, pollEpoch });
      },
      ...overrides,
    };
    return { source, recorded };
  }

  async function streamWith(texts: readonly string[]): Promise<{ streamName: string; sequences: string[] }> {
    const streamName = uniqueName('reader-test');
    await createActiveStream(aws.clients.kinesis, streamName, 1);
    if (texts.length === 0) return { streamName, sequences: [] };
    const put = await aws.clients.kinesis.send(
      new PutRecordsCommand({
        StreamName: streamName,
        Records: texts.map((text) => ({ PartitionKey: 'AAPL', Data: Buffer.from(text) })),
      }),
    );
    return { streamName, sequences: (put.Records ?? []).map((entry) => entry.SequenceNumber ?? '') };
  }

  it('sets its phase with a first idle pause a random part of the interval, then pauses whole intervals', async () => {
    const { streamName } = await streamWith([]);
    const { source, recorded } = readerSource(streamName);
    const reader = new ShardReader(source, SHARD);
    for (let pause = 0; pause < 3; pause += 1) await reader.pauseIdle(source.pollEpoch());
    const [first, ...later] = recorded.sleeps;
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(IDLE_POLL_MS);
    expect(later).toEqual([IDLE_POLL_MS, IDLE_POLL_MS]);
    expect(recorded.idle).toEqual([
      { shardId: SHARD, pollEpoch: 7 },
      { shardId: SHARD, pollEpoch: 7 },
      { shardId: SHARD, pollEpoch: 7 },
    ]);
  });

  it('pauses a whole interval from the first idle poll when the random phase is off, and when busy', async () => {
    const { streamName } = await streamWith([]);
    const { source, recorded } = readerSource(streamName, { idlePollJitter: false });
    const reader = new ShardReader(source, SHARD);
    await reader.pauseBusy();
    await reader.pauseIdle(source.pollEpoch());
    expect(recorded.sleeps).toEqual([IDLE_POLL_MS, IDLE_POLL_MS]);
  });

  it('reports the shard idle only once its last checkpoint write has landed', async () => {
    const { streamName, sequences } = await streamWith(['a']);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slowStore: CheckpointStore = {
      get: (stream, shard) => checkpoints.get(stream, shard),
      put: async (stream, shard, sequence) => {
        await held;
        await checkpoints.put(stream, shard, sequence);
      },
    };
    const { source, recorded } = readerSource(streamName, { checkpoints: slowStore });
    const reader = new ShardReader(source, SHARD);
    reader.checkpoints.writeBehind(sequences[0] ?? '');
    const paused = reader.pauseIdle(source.pollEpoch());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(recorded.idle).toEqual([]);
    release();
    await paused;
    expect(recorded.idle).toHaveLength(1);
    expect(await checkpoints.get(streamName, SHARD)).toBe(sequences[0]);
  });

  it('starts after the checkpoint, reads nothing from a shard read to its end, and reports progress per poll', async () => {
    const { streamName, sequences } = await streamWith(['first', 'second', 'third']);
    let progress = 0;
    const { source } = readerSource(streamName);
    const fromStart = new ShardReader(source, SHARD, () => {
      progress += 1;
    });
    const everything = await fromStart.poll((await fromStart.iterator()) ?? '');
    expect(everything.records.map(textOf)).toEqual(['first', 'second', 'third']);
    expect(progress).toBe(1);

    await checkpoints.put(streamName, SHARD, sequences[0] ?? '');
    const resumed = new ShardReader(source, SHARD);
    const rest = await resumed.poll((await resumed.iterator()) ?? '');
    expect(rest.records.map(textOf)).toEqual(['second', 'third']);

    await checkpoints.put(streamName, SHARD, SHARD_END);
    expect(await new ShardReader(source, SHARD).iterator()).toBeUndefined();
  });

  it('does not report progress when a poll fails', async () => {
    const { streamName } = await streamWith([]);
    let progress = 0;
    const { source } = readerSource(streamName);
    const reader = new ShardReader(source, SHARD, () => {
      progress += 1;
    });
    await expect(reader.poll('not-an-iterator')).rejects.toThrow();
    expect(progress).toBe(0);
  });

  it('sends records past maxRecordAge to the on-failure destination and returns the rest', async () => {
    const { streamName } = await streamWith(['old', 'new']);
    const { source, recorded } = readerSource(streamName, {
      settings: { ...SETTINGS, maxRecordAgeSeconds: 60 },
    });
    const reader = new ShardReader(source, SHARD);
    const { records } = await reader.poll((await reader.iterator()) ?? '');
    const [old, fresh] = records;
    if (old === undefined || fresh === undefined) throw new Error('expected two records');
    old.kinesis.approximateArrivalTimestamp = Date.now() / 1000 - 120;
    expect((await reader.divertExpired(records)).map(textOf)).toEqual(['new']);
    expect(recorded.failed.map((failed) => failed.records.map(textOf))).toEqual([['old']]);
    expect(recorded.failed[0]?.reason).toBe('older than maxRecordAge (60 s)');
    expect(source.stats.failedBatches).toBe(1);
  });
});
