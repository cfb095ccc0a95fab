import { describe, expect, it } from 'vitest';
import { DEFAULT_RESHARD_POLICY } from '../../pipeline/autoscale/reshard-decision.js';
import { autoscaleStream } from '../../pipeline/autoscale/stream-autoscaler.js';
import type { ShardLoad, ShardLoadSource } from '../../shared/ports/shard-load-source.js';
import { uniqueName } from '../helpers/embedded-aws.js';
import { createActiveStream, isOpen, listAllShards, waitUntilActive } from '../helpers/kinesis-shards.js';
import { memoryLogger } from '../helpers/local-pipeline-harness.js';
import { useTestAws } from '../helpers/use-test-aws.js';

const MAX_HASH = (2n ** 128n - 1n).toString();

/** Metrics as the test says: every asked shard gets `current`'s load, and each request is recorded. */
function injectedLoads(): ShardLoadSource & { current: ShardLoad; asked: string[][] } {
  const source = {
    current: { bytesPerSecond: 0, recordsPerSecond: 0 },
    asked: [] as string[][],
    async loadOf(_streamName: string, shardIds: readonly string[]) {
      source.asked.push([...shardIds]);
      return new Map(shardIds.map((shardId) => [shardId, source.current]));
    },
  };
  return source;
}

describe('autoscaleStream on kinesalite', () => {
  const aws = useTestAws();

  it('splits a hot shard at the midpoint, waits out the cooldown, then merges the cold children back', async () => {
    const kinesis = aws.clients.kinesis;
    const streamName = uniqueName('autoscale');
    await createActiveStream(kinesis, streamName, 1);
    const loads = injectedLoads();
    let now = 1_000_000_000_000;
    const tick = () =>
      autoscaleStream({
        kinesis,
        loads,
        streamName,
        policy: DEFAULT_RESHARD_POLICY,
        logger: memoryLogger().logger,
        clock: () => now,
      });

    loads.current = { bytesPerSecond: 1_000, recordsPerSecond: 900 };
    expect(await tick()).toMatchObject({ action: 'split', newStartingHashKey: (2n ** 127n).toString() });
    await waitUntilActive(kinesis, streamName);
    const afterSplit = (await listAllShards(kinesis, streamName)).filter(isOpen);
    expect(afterSplit.map((shard) => shard.HashKeyRange)).toEqual([
      { StartingHashKey: '0', EndingHashKey: (2n ** 127n - 1n).toString() },
      { StartingHashKey: (2n ** 127n).toString(), EndingHashKey: MAX_HASH },
    ]);

    loads.current = { bytesPerSecond: 100, recordsPerSecond: 10 };
    now += 60_000;
    expect(await tick()).toEqual({ action: 'none', reason: 'cooldown' });

    now += DEFAULT_RESHARD_POLICY.cooldownMs;
    expect(await tick()).toMatchObject({
      action: 'merge',
      shardId: afterSplit[0]?.ShardId,
      adjacentShardId: afterSplit[1]?.ShardId,
    });
    await waitUntilActive(kinesis, streamName);
    const shards = await listAllShards(kinesis, streamName);
    expect(shards.filter(isOpen).map((shard) => shard.HashKeyRange)).toEqual([
      { StartingHashKey: '0', EndingHashKey: MAX_HASH },
    ]);
    expect(shards).toHaveLength(4);
    // Metrics were only ever asked for open shards.
    expect(loads.asked.at(-1)).toEqual(afterSplit.map((shard) => shard.ShardId));
  });

  it('leaves a stream within its thresholds as it is', async () => {
    const kinesis = aws.clients.kinesis;
    const streamName = uniqueName('steady');
    await createActiveStream(kinesis, streamName, 2);
    const loads = injectedLoads();
    loads.current = { bytesPerSecond: 400_000, recordsPerSecond: 500 };
    const decision = await autoscaleStream({
      kinesis,
      loads,
      streamName,
      policy: DEFAULT_RESHARD_POLICY,
      logger: memoryLogger().logger,
    });
    expect(decision).toEqual({ action: 'none', reason: 'within-thresholds' });
    expect((await listAllShards(kinesis, streamName)).filter(isOpen)).toHaveLength(2);
  });
});
