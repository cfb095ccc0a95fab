import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type GetRecordsCommandOutput,
  type KinesisClient,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamBatchResponse, KinesisStreamRecord } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  EventSourceStoppedError,
  type FailedBatch,
  type KinesisBatchHandler,
  KinesisEventSource,
  type KinesisEventSourceOptions,
} from '../../pipeline/runner/kinesis-event-source.js';
import { type AwsClients, createAwsClients } from '../../shared/aws/aws-clients.js';
import { DynamoCheckpointStore } from '../../shared/aws/dynamo-checkpoint-store.js';
import type { EventSourceSettings } from '../../shared/aws/event-source-settings.js';
import type { CheckpointStore } from '../../shared/ports/checkpoint-store.js';
import { waitFor } from '../fakes/wait.js';
import { uniqueName } from '../helpers/embedded-aws.js';
import { textOf } from '../helpers/kinesis-records.js';
import { memoryLogger } from '../helpers/local-pipeline-harness.js';
import { useTestAws } from '../helpers/use-test-aws.js';

/** Partition keys that Kinesis hashes onto both shards of a two-shard stream (two each). */
const KEYS_ON_BOTH_SHARDS = ['AAPL', 'NVDA', 'MSFT', 'XOM'] as const;

const SETTINGS: EventSourceSettings = {
  batchSize: 10,
  maxBatchingWindowSeconds: 0,
  bisectBatchOnError: false,
  retryAttempts: 2,
  reportBatchItemFailures: true,
  startingPosition: 'TRIM_HORIZON',
  maxRecordAgeSeconds: -1,
  parallelizationFactor: 1,
  onFailureQueue: 'detectorFailures',
};

/** A back-off or idle pause far longer than any test may wait: only stop() can cut it short. */
const FOREVER_MS = 10 * 60_000;

interface PutResult {
  readonly key: string;
  readonly data: string;
  readonly shardId: string;
  readonly sequenceNumber: string;
}

type Respond = (
  records: readonly KinesisStreamRecord[],
  call: number,
) => Promise<KinesisStreamBatchResponse | undefined> | KinesisStreamBatchResponse | undefined;

/** A handler that records every batch it is invoked with, then answers as `respond` says. */
function recordingHandler(respond: Respond = () => undefined): {
  handler: KinesisBatchHandler;
  calls: KinesisStreamRecord[][];
} {
  const calls: KinesisStreamRecord[][] = [];
  const handler: KinesisBatchHandler = async (event) => {
    calls.push([...event.Records]);
    return respond(event.Records, calls.length);
  };
  return { handler, calls };
}

function textsOf(records: readonly KinesisStreamRecord[]): string[] {
  return records.map(textOf);
}

function containsPoison(records: readonly KinesisStreamRecord[]): boolean {
  return records.some((record) => textOf(record) === 'poison');
}

describe('KinesisEventSource on embedded Kinesis and DynamoDB', () => {
  const aws = useTestAws();
  let checkpoints: DynamoCheckpointStore;
  const running: KinesisEventSource[] = [];
  const extraClients: AwsClients[] = [];

  beforeAll(async () => {
    checkpoints = new DynamoCheckpointStore(aws.clients.dynamo, aws.names.checkpointsTable);
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((runner) => runner.stop()));
    for (const clients of extraClients.splice(0)) clients.destroy();
  });

  async function createStream(shardCount: 1 | 2): Promise<string> {
    const streamName = uniqueName('runner-test');
    await aws.clients.kinesis.send(
      new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }),
    );
    // kinesalite answers CREATING and turns the stream ACTIVE on its next tick.
    for (;;) {
      const described = await aws.clients.kinesis.send(
        new DescribeStreamSummaryCommand({ StreamName: streamName }),
      );
      if (described.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return streamName;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async function putRecords(
    streamName: string,
    entries: readonly { key: string; data: string }[],
  ): Promise<PutResult[]> {
    const result = await aws.clients.kinesis.send(
      new PutRecordsCommand({
        StreamName: streamName,
        Records: entries.map((entry) => ({ PartitionKey: entry.key, Data: Buffer.from(entry.data) })),
      }),
    );
    if (result.FailedRecordCount !== 0) throw new Error(`${result.FailedRecordCount} records were not put`);
    return entries.map((entry, index) => ({
      ...entry,
      shardId: result.Records?.[index]?.ShardId ?? '',
      sequenceNumber: result.Records?.[index]?.SequenceNumber ?? '',
    }));
  }

  /** Puts each text under one partition key, in order. */
  function putTexts(streamName: string, texts: readonly string[]): Promise<PutResult[]> {
    return putRecords(
      streamName,
      texts.map((data) => ({ key: 'one-key', data })),
    );
  }

  /**
   * A second real Kinesis client whose GetRecords answers, already fetched from kinesalite, pass
   * through `intercept` before the runner sees them: to hold one back, or to lose one in transit.
   */
  function interceptGetRecords(intercept: (output: GetRecordsCommandOutput) => Promise<void>): KinesisClient {
    const clients = createAwsClients(aws.connection);
    extraClients.push(clients);
    clients.kinesis.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === 'GetRecordsCommand')
          await intercept(result.output as GetRecordsCommandOutput);
        return result;
      },
      { step: 'initialize', name: 'interceptGetRecords' },
    );
    return clients.kinesis;
  }

  function createRunner(
    streamName: string,
    handler: KinesisBatchHandler,
    settings: Partial<EventSourceSettings> = {},
    extra: Partial<
      Pick<
        KinesisEventSourceOptions,
        'kinesis' | 'checkpoints' | 'onFailure' | 'idlePollMs' | 'retryBaseMs' | 'logger'
      >
    > = {},
  ): KinesisEventSource {
    const runner = new KinesisEventSource({
      kinesis: aws.clients.kinesis,
      checkpoints,
      streamName,
      handler,
      settings: { ...SETTINGS, ...settings },
      logger: memoryLogger().logger,
      region: aws.connection.region,
      idlePollMs: 10,
      retryBaseMs: 1,
      ...extra,
    });
    running.push(runner);
    return runner;
  }

  async function startedRunner(...args: Parameters<typeof createRunner>): Promise<KinesisEventSource> {
    const runner = createRunner(...args);
    await runner.start();
    return runner;
  }

  describe('delivery', () => {
    it('delivers every record once, in put order per partition key, as Lambda-shaped batches', async () => {
      // Prepare
      const streamName = await createStream(2);
      const entries = Array.from({ length: 48 }, (_, index) => {
        const key = KEYS_ON_BOTH_SHARDS[index % KEYS_ON_BOTH_SHARDS.length] ?? '';
        return { key, data: `${key}-${Math.floor(index / KEYS_ON_BOTH_SHARDS.length)}` };
      });
      const put = await putRecords(streamName, entries);
      const { handler, calls } = recordingHandler();

      // Act
      const runner = await startedRunner(streamName, handler, { batchSize: 5 });
      await runner.drained();

      // Assess
      const delivered = calls.flat();
      expect(textsOf(delivered).sort()).toEqual(entries.map((entry) => entry.data).sort());
      for (const key of KEYS_ON_BOTH_SHARDS) {
        const forKey = delivered.filter((record) => record.kinesis.partitionKey === key);
        expect(textsOf(forKey)).toEqual(entries.filter((e) => e.key === key).map((e) => e.data));
      }
      for (const record of delivered) {
        const source = put.find((p) => p.data === textOf(record));
        expect(record).toMatchObject({
          eventSource: 'aws:kinesis',
          eventName: 'aws:kinesis:record',
          eventVersion: '1.0',
          eventID: `${source?.shardId}:${source?.sequenceNumber}`,
          awsRegion: aws.connection.region,
          eventSourceARN: `arn:aws:kinesis:${aws.connection.region}:000000000000:stream/${streamName}`,
          kinesis: {
            kinesisSchemaVersion: '1.0',
            partitionKey: source?.key,
            sequenceNumber: source?.sequenceNumber,
          },
        });
      }
      expect(new Set(put.map((p) => p.shardId)).size).toBe(2);
      for (const batch of calls) {
        expect(batch.length).toBeGreaterThan(0);
        expect(batch.length).toBeLessThanOrEqual(5);
        // A batch comes from one shard.
        expect(new Set(batch.map((record) => record.eventID.split(':')[0])).size).toBe(1);
      }
      // Records already on the stream fill batches up to the batch size.
      expect(Math.max(...calls.map((batch) => batch.length))).toBe(5);
      expect(runner.stats).toEqual({ batches: calls.length, records: 48, failedBatches: 0 });
    });

    it('resolves drained() only once every shard has processed the records put before the call', async () => {
      // Prepare
      const streamName = await createStream(2);
      const processed: string[] = [];
      const { handler } = recordingHandler(async (records) => {
        // Slow enough that an early resolve would be caught with work still in hand.
        await new Promise((resolve) => setTimeout(resolve, 20));
        processed.push(...textsOf(records));
        return undefined;
      });
      const runner = await startedRunner(streamName, handler, { batchSize: 3 });
      await runner.drained();
      // NVDA and AAPL hash to different shards: one shard has a little work, the other a lot.
      const entries = [
        ...Array.from({ length: 2 }, (_, index) => ({ key: 'NVDA', data: `NVDA-${index}` })),
        ...Array.from({ length: 24 }, (_, index) => ({ key: 'AAPL', data: `AAPL-${index}` })),
      ];

      // Act
      const put = await putRecords(streamName, entries);
      await runner.drained();

      // Assess
      expect(new Set(put.map((p) => p.shardId)).size).toBe(2);
      expect(processed.sort()).toEqual(entries.map((entry) => entry.data).sort());
    });

    it('does not count an empty poll that began before drained() was called', async () => {
      // Prepare
      const streamName = await createStream(1);
      let holding = false;
      let heldPolls = 0;
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const kinesis = interceptGetRecords(async () => {
        if (!holding) return;
        heldPolls += 1;
        await gate;
      });
      const { handler, calls } = recordingHandler();
      const runner = await startedRunner(streamName, handler, {}, { kinesis });
      await runner.drained();
      holding = true;
      await waitFor('an empty poll to be held', () => heldPolls === 1);
      await putTexts(streamName, ['r0', 'r1']);

      // Act: the held poll found nothing, but it began before the records were put.
      const drained = runner.drained();
      holding = false;
      release();
      await drained;

      // Assess
      expect(textsOf(calls.flat())).toEqual(['r0', 'r1']);
    });
  });

  describe('batching window', () => {
    it('keeps filling a batch within the window and invokes as soon as it is full', async () => {
      // Prepare
      const streamName = await createStream(1);
      const { handler, calls } = recordingHandler();
      await startedRunner(streamName, handler, { batchSize: 3, maxBatchingWindowSeconds: 300 });

      // Act
      for (const text of ['r0', 'r1', 'r2']) {
        await putTexts(streamName, [text]);
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
      await waitFor('a full batch', () => calls.length > 0);

      // Assess
      expect(calls.map(textsOf)).toEqual([['r0', 'r1', 'r2']]);
    });

    it('loses no record read earlier in the window when a later read fails', async () => {
      // Prepare: the read after the one that returned r0 fails on its way back.
      const streamName = await createStream(1);
      let failNextRead = false;
      let failedReads = 0;
      const kinesis = interceptGetRecords(async (output) => {
        if (failNextRead && failedReads === 0) {
          failedReads += 1;
          throw new Error('connection reset');
        }
        failNextRead = (output.Records ?? []).length > 0;
      });
      const { handler, calls } = recordingHandler();
      await startedRunner(streamName, handler, { batchSize: 3, maxBatchingWindowSeconds: 300 }, { kinesis });
      await putTexts(streamName, ['r0']);
      await waitFor('the failed read', () => failedReads === 1);

      // Act
      await putTexts(streamName, ['r1', 'r2', 'r3']);
      await waitFor('a full batch', () => calls.length > 0);

      // Assess
      expect(calls[0] && textsOf(calls[0])).toEqual(['r0', 'r1', 'r2']);
    });
  });

  describe('checkpoints', () => {
    it('lets a new runner resume after the last record the previous one processed', async () => {
      // Prepare
      const streamName = await createStream(2);
      const before = KEYS_ON_BOTH_SHARDS.flatMap((key) => [
        { key, data: `${key}-a` },
        { key, data: `${key}-b` },
      ]);
      const putBefore = await putRecords(streamName, before);
      const first = recordingHandler();
      const firstRunner = await startedRunner(streamName, first.handler);
      await firstRunner.drained();
      await firstRunner.stop();
      const shardIds = [...new Set(putBefore.map((p) => p.shardId))];
      const checkpointsAfterFirst = await Promise.all(
        shardIds.map((shardId) => checkpoints.get(streamName, shardId)),
      );
      const after = KEYS_ON_BOTH_SHARDS.map((key) => ({ key, data: `${key}-c` }));
      const putAfter = await putRecords(streamName, after);
      const second = recordingHandler();

      // Act
      const secondRunner = await startedRunner(streamName, second.handler);
      await secondRunner.drained();

      // Assess
      expect(shardIds).toHaveLength(2);
      expect(checkpointsAfterFirst).toEqual(
        shardIds.map((shardId) => putBefore.filter((p) => p.shardId === shardId).at(-1)?.sequenceNumber),
      );
      expect(textsOf(first.calls.flat()).sort()).toEqual(before.map((e) => e.data).sort());
      expect(textsOf(second.calls.flat()).sort()).toEqual(after.map((e) => e.data).sort());
      for (const shardId of shardIds) {
        const lastOnShard = putAfter.filter((p) => p.shardId === shardId).at(-1);
        expect(await checkpoints.get(streamName, shardId)).toBe(lastOnShard?.sequenceNumber);
      }
    });

    it('finishes and checkpoints the batch in hand when stopped mid-invocation', async () => {
      // Prepare
      const streamName = await createStream(1);
      const put = await putTexts(streamName, ['r0', 'r1', 'r2']);
      let release: () => void = () => {};
      const inHandler = new Promise<void>((resolve) => {
        release = resolve;
      });
      const first = recordingHandler(async () => {
        await inHandler;
        return undefined;
      });
      const runner = await startedRunner(streamName, first.handler);
      await waitFor('the handler to be invoked', () => first.calls.length === 1);

      // Act
      const stopped = runner.stop();
      release();
      await stopped;

      // Assess
      expect(await checkpoints.get(streamName, put[0]?.shardId ?? '')).toBe(put[2]?.sequenceNumber);
      const second = recordingHandler();
      await putTexts(streamName, ['r3']);
      const next = await startedRunner(streamName, second.handler);
      await next.drained();
      expect(textsOf(second.calls.flat())).toEqual(['r3']);
    });
  });

  describe('ReportBatchItemFailures', () => {
    it('checkpoints before the failed record and redelivers from it', async () => {
      // Prepare
      const streamName = await createStream(1);
      const put = await putTexts(streamName, ['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
      const shardId = put[0]?.shardId ?? '';
      const checkpointsSeenOnCall: (string | undefined)[] = [];
      const { handler, calls } = recordingHandler(async (records, call) => {
        checkpointsSeenOnCall.push(await checkpoints.get(streamName, shardId));
        if (call > 1) return undefined;
        return { batchItemFailures: [{ itemIdentifier: records[3]?.kinesis.sequenceNumber ?? '' }] };
      });

      // Act
      const runner = await startedRunner(streamName, handler);
      await runner.drained();

      // Assess
      expect(calls.map(textsOf)).toEqual([
        ['r0', 'r1', 'r2', 'r3', 'r4', 'r5'],
        ['r3', 'r4', 'r5'],
      ]);
      expect(checkpointsSeenOnCall).toEqual([undefined, put[2]?.sequenceNumber]);
      expect(await checkpoints.get(streamName, shardId)).toBe(put[5]?.sequenceNumber);
      expect(runner.stats.records).toBe(6);
    });

    it('redelivers the whole batch when a reported identifier is not in it', async () => {
      // Prepare
      const streamName = await createStream(1);
      const put = await putTexts(streamName, ['r0', 'r1', 'r2']);
      const checkpointsSeenOnCall: (string | undefined)[] = [];
      const { handler, calls } = recordingHandler(async (_records, call) => {
        checkpointsSeenOnCall.push(await checkpoints.get(streamName, put[0]?.shardId ?? ''));
        return call === 1 ? { batchItemFailures: [{ itemIdentifier: 'not-a-sequence-number' }] } : undefined;
      });

      // Act
      const runner = await startedRunner(streamName, handler);
      await runner.drained();

      // Assess
      expect(calls.map(textsOf)).toEqual([
        ['r0', 'r1', 'r2'],
        ['r0', 'r1', 'r2'],
      ]);
      expect(checkpointsSeenOnCall).toEqual([undefined, undefined]);
    });

    it('sends the failing tail to onFailure after the retries and moves on', async () => {
      // Prepare
      const streamName = await createStream(1);
      await putTexts(streamName, ['r0', 'r1', 'poison', 'r3']);
      const failures: FailedBatch[] = [];
      const { handler, calls } = recordingHandler((records) => {
        const poison = records.find((record) => textOf(record) === 'poison');
        return poison && { batchItemFailures: [{ itemIdentifier: poison.kinesis.sequenceNumber }] };
      });
      const runner = await startedRunner(
        streamName,
        handler,
        { retryAttempts: 2 },
        {
          onFailure: async (failed) => {
            failures.push(failed);
          },
        },
      );
      await waitFor('the on-failure destination', () => failures.length === 1);

      // Act
      const later = await putTexts(streamName, ['r4']);
      await runner.drained();

      // Assess
      expect(calls.map(textsOf)).toEqual([
        ['r0', 'r1', 'poison', 'r3'],
        ['poison', 'r3'],
        ['poison', 'r3'],
        ['r4'],
      ]);
      expect(failures).toHaveLength(1);
      expect(textsOf(failures[0]?.records ?? [])).toEqual(['poison', 'r3']);
      expect(failures[0]?.attempts).toBe(3);
      expect(await checkpoints.get(streamName, later[0]?.shardId ?? '')).toBe(later[0]?.sequenceNumber);
    });
  });

  describe('function errors', () => {
    it('bisects around a poison record, sends it alone to onFailure and keeps the shard moving', async () => {
      // Prepare
      const streamName = await createStream(1);
      const texts = ['r0', 'r1', 'r2', 'r3', 'r4', 'poison', 'r6', 'r7'];
      const retryAttempts = 2;
      await putTexts(streamName, texts);
      const succeeded: string[] = [];
      const { handler, calls } = recordingHandler((records) => {
        if (containsPoison(records)) throw new Error('cannot parse record');
        succeeded.push(...textsOf(records));
        return undefined;
      });
      const failures: FailedBatch[] = [];
      const runner = await startedRunner(
        streamName,
        handler,
        { bisectBatchOnError: true, retryAttempts },
        {
          onFailure: async (failed) => {
            failures.push(failed);
          },
        },
      );
      await waitFor('the on-failure destination', () => failures.length === 1);

      // Act
      const later = await putTexts(streamName, ['r8', 'r9']);
      await runner.drained();

      // Assess
      expect(succeeded).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r6', 'r7', 'r8', 'r9']);
      expect(failures).toHaveLength(1);
      expect(textsOf(failures[0]?.records ?? [])).toEqual(['poison']);
      expect(failures[0]?.reason).toContain('cannot parse record');
      // Splitting does not count towards the retry quota: the poison record alone gets every retry.
      expect(failures[0]?.attempts).toBe(retryAttempts + 1);
      // Each failed batch is split in two and each half tried in order.
      expect(calls.map(textsOf)).toEqual([
        texts,
        ['r0', 'r1', 'r2', 'r3'],
        ['r4', 'poison', 'r6', 'r7'],
        ['r4', 'poison'],
        ['r4'],
        ['poison'],
        ['poison'],
        ['poison'],
        ['r6', 'r7'],
        ['r8', 'r9'],
      ]);
      expect(await checkpoints.get(streamName, later[1]?.shardId ?? '')).toBe(later[1]?.sequenceNumber);
      expect(runner.stats.failedBatches).toBe(1);
    });

    it('sends the whole batch to onFailure after retryAttempts + 1 attempts without bisect, then moves on', async () => {
      // Prepare
      const streamName = await createStream(1);
      await putTexts(streamName, ['r0', 'poison', 'r2', 'r3']);
      const { handler, calls } = recordingHandler((records) => {
        if (containsPoison(records)) throw new Error('cannot parse record');
        return undefined;
      });
      const failures: FailedBatch[] = [];
      const runner = await startedRunner(
        streamName,
        handler,
        { batchSize: 3, retryAttempts: 2 },
        {
          onFailure: async (failed) => {
            failures.push(failed);
          },
        },
      );
      await waitFor('the record after the failed batch', () => textsOf(calls.flat()).includes('r3'));

      // Act
      const later = await putTexts(streamName, ['r4']);
      await runner.drained();

      // Assess
      expect(calls.map(textsOf)).toEqual([
        ['r0', 'poison', 'r2'],
        ['r0', 'poison', 'r2'],
        ['r0', 'poison', 'r2'],
        ['r3'],
        ['r4'],
      ]);
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({ streamName, shardId: later[0]?.shardId, attempts: 3 });
      expect(textsOf(failures[0]?.records ?? [])).toEqual(['r0', 'poison', 'r2']);
      expect(await checkpoints.get(streamName, later[0]?.shardId ?? '')).toBe(later[0]?.sequenceNumber);
    });
  });

  describe('failures around the handler', () => {
    it('resumes from the checkpoint when writing a checkpoint fails, losing no record', async () => {
      // Prepare
      const streamName = await createStream(1);
      await putTexts(streamName, ['r0', 'r1', 'r2', 'r3']);
      let failNextPut = true;
      const flakyCheckpoints: CheckpointStore = {
        get: (stream, shard) => checkpoints.get(stream, shard),
        put: async (stream, shard, sequenceNumber) => {
          if (failNextPut) {
            failNextPut = false;
            throw new Error('DynamoDB unreachable');
          }
          await checkpoints.put(stream, shard, sequenceNumber);
        },
      };
      const { handler, calls } = recordingHandler();

      // Act
      const runner = await startedRunner(
        streamName,
        handler,
        { batchSize: 2 },
        { checkpoints: flakyCheckpoints },
      );
      await runner.drained();

      // Assess: a batch's checkpoint is written behind the next batch, so the failure surfaces after it;
      // the shard then resumes from the last checkpoint and everything since is redelivered, in order.
      expect(calls.map(textsOf)).toEqual([
        ['r0', 'r1'],
        ['r2', 'r3'],
        ['r0', 'r1'],
        ['r2', 'r3'],
      ]);
    });

    it('rejects drained() when the runner stops before draining', async () => {
      // Prepare
      const streamName = await createStream(1);
      await putTexts(streamName, ['r0']);
      let openGate: () => void = () => undefined;
      const gate = new Promise<undefined>((resolve) => {
        openGate = () => resolve(undefined);
      });
      const { handler, calls } = recordingHandler(() => gate);
      const runner = await startedRunner(streamName, handler);
      await waitFor('the handler to be invoked', () => calls.length === 1);

      // Act
      const drained = runner.drained();
      const stopping = runner.stop();
      openGate();
      await stopping;

      // Assess
      await expect(drained).rejects.toBeInstanceOf(EventSourceStoppedError);
      await expect(runner.drained()).rejects.toBeInstanceOf(EventSourceStoppedError);
    });
  });

  describe('stop()', () => {
    it('keeps the checkpoint of a bisected first half when stopped while retrying the second', async () => {
      // Prepare
      const streamName = await createStream(1);
      const put = await putTexts(streamName, ['r0', 'r1', 'poison', 'r3']);
      const failing = recordingHandler((records) => {
        if (containsPoison(records)) throw new Error('cannot parse record');
        return undefined;
      });
      const { logger, lines } = memoryLogger();
      const runner = await startedRunner(
        streamName,
        failing.handler,
        { bisectBatchOnError: true, retryAttempts: 10 },
        { retryBaseMs: FOREVER_MS, logger },
      );
      await waitFor('a retry back-off', () =>
        lines.some((line) => line.message === 'batch failed, retrying'),
      );

      // Act
      await runner.stop();

      // Assess
      expect(failing.calls.map(textsOf)).toEqual([
        ['r0', 'r1', 'poison', 'r3'],
        ['r0', 'r1'],
        ['poison', 'r3'],
        ['poison'],
      ]);
      expect(await checkpoints.get(streamName, put[0]?.shardId ?? '')).toBe(put[1]?.sequenceNumber);
      const healthy = recordingHandler();
      const next = await startedRunner(streamName, healthy.handler);
      await next.drained();
      expect(healthy.calls.map(textsOf)).toEqual([['poison', 'r3']]);
    }, 20_000);

    it('returns while the runner is idle between polls', async () => {
      // Prepare
      const streamName = await createStream(2);
      const { handler, calls } = recordingHandler();
      const runner = await startedRunner(streamName, handler, {}, { idlePollMs: FOREVER_MS });
      await runner.drained();

      // Act
      await runner.stop();

      // Assess: the test times out long before the idle pause ends, so only a woken sleep gets here.
      expect(calls).toEqual([]);
    }, 20_000);

    it('returns during a retry back-off without checkpointing the batch, which a new runner redelivers', async () => {
      // Prepare
      const streamName = await createStream(1);
      const put = await putTexts(streamName, ['r0', 'r1']);
      const failing = recordingHandler(() => {
        throw new Error('downstream unavailable');
      });
      const failures: FailedBatch[] = [];
      const { logger, lines } = memoryLogger();
      const runner = await startedRunner(
        streamName,
        failing.handler,
        { retryAttempts: 3 },
        {
          retryBaseMs: FOREVER_MS,
          logger,
          onFailure: async (failed) => {
            failures.push(failed);
          },
        },
      );
      await waitFor('a retry back-off', () =>
        lines.some((line) => line.message === 'batch failed, retrying'),
      );

      // Act
      await runner.stop();

      // Assess
      expect(failing.calls).toHaveLength(1);
      expect(failures).toEqual([]);
      expect(await checkpoints.get(streamName, put[0]?.shardId ?? '')).toBeUndefined();
      const healthy = recordingHandler();
      const next = await startedRunner(streamName, healthy.handler);
      await next.drained();
      expect(healthy.calls.map(textsOf)).toEqual([['r0', 'r1']]);
    }, 20_000);

    it('keeps the partial checkpoint when stopped while retrying after a batch item failure', async () => {
      // Prepare
      const streamName = await createStream(1);
      const put = await putTexts(streamName, ['r0', 'r1', 'r2', 'r3']);
      const partial = recordingHandler((records) => ({
        batchItemFailures: [
          { itemIdentifier: records.find((r) => textOf(r) === 'r2')?.kinesis.sequenceNumber ?? '' },
        ],
      }));
      const { logger, lines } = memoryLogger();
      const runner = await startedRunner(
        streamName,
        partial.handler,
        {},
        { retryBaseMs: FOREVER_MS, logger },
      );
      await waitFor('a retry back-off', () =>
        lines.some((line) => line.message === 'batch failed, retrying'),
      );

      // Act
      await runner.stop();

      // Assess
      expect(await checkpoints.get(streamName, put[0]?.shardId ?? '')).toBe(put[1]?.sequenceNumber);
      const healthy = recordingHandler();
      const next = await startedRunner(streamName, healthy.handler);
      await next.drained();
      expect(healthy.calls.map(textsOf)).toEqual([['r2', 'r3']]);
    }, 20_000);
  });
});
