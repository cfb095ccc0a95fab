import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { areAdjacent, midpointHashKey } from '../../pipeline/autoscale/hash-key-range.js';
import {
  DEFAULT_RESHARD_POLICY,
  decideReshard,
  type OpenShard,
  type ReshardInput,
} from '../../pipeline/autoscale/reshard-decision.js';
import type { ShardLoad } from '../../shared/ports/shard-load-source.js';

const MAX_HASH = 2n ** 128n - 1n;

/** `count` open shards that split the hash space evenly, named shard-0 … */
function evenShards(count: number): OpenShard[] {
  const width = (MAX_HASH + 1n) / BigInt(count);
  return Array.from({ length: count }, (_, index) => ({
    shardId: `shard-${index}`,
    startingHashKey: BigInt(index) * width,
    endingHashKey: index === count - 1 ? MAX_HASH : BigInt(index + 1) * width - 1n,
  }));
}

/** Load at `share` of the record limit (bytes well below theirs). */
function atShare(share: number): ShardLoad {
  return { recordsPerSecond: share * 1_000, bytesPerSecond: 100 };
}

function input(overrides: Partial<ReshardInput> & Pick<ReshardInput, 'openShards' | 'load'>): ReshardInput {
  return {
    streamMode: 'PROVISIONED',
    streamStatus: 'ACTIVE',
    now: 10_000_000,
    policy: DEFAULT_RESHARD_POLICY,
    ...overrides,
  };
}

describe('decideReshard', () => {
  it('splits a shard above 80 % of its record limit at the hash-key midpoint', () => {
    const shards = evenShards(2);
    const decision = decideReshard(
      input({
        openShards: shards,
        load: new Map([
          ['shard-0', atShare(0.5)],
          ['shard-1', atShare(0.85)],
        ]),
      }),
    );
    expect(decision).toMatchObject({ action: 'split', shardId: 'shard-1' });
    const upper = shards[1] as OpenShard;
    expect(decision.action === 'split' && BigInt(decision.newStartingHashKey)).toBe(
      upper.startingHashKey + (upper.endingHashKey - upper.startingHashKey + 1n) / 2n,
    );
  });

  it('splits on bytes when the byte rate is the one near the limit', () => {
    const decision = decideReshard(
      input({
        openShards: evenShards(1),
        load: new Map([['shard-0', { bytesPerSecond: 0.9 * 1_048_576, recordsPerSecond: 10 }]]),
      }),
    );
    expect(decision).toMatchObject({ action: 'split', shardId: 'shard-0' });
  });

  it('splits the whole hash space exactly in half', () => {
    expect(midpointHashKey({ startingHashKey: 0n, endingHashKey: MAX_HASH })).toBe(2n ** 127n);
  });

  it('merges the two adjacent shards that are both below 25 %', () => {
    const decision = decideReshard(
      input({
        openShards: evenShards(3),
        load: new Map([
          ['shard-0', atShare(0.5)],
          ['shard-1', atShare(0.1)],
          ['shard-2', atShare(0.2)],
        ]),
      }),
    );
    expect(decision).toMatchObject({ action: 'merge', shardId: 'shard-1', adjacentShardId: 'shard-2' });
  });

  it('does not merge cold shards that are not adjacent', () => {
    const decision = decideReshard(
      input({
        openShards: evenShards(3),
        load: new Map([
          ['shard-0', atShare(0.1)],
          ['shard-1', atShare(0.5)],
          ['shard-2', atShare(0.1)],
        ]),
      }),
    );
    expect(decision).toEqual({ action: 'none', reason: 'within-thresholds' });
  });

  it('leaves a shard without metrics alone', () => {
    const decision = decideReshard(
      input({ openShards: evenShards(2), load: new Map([['shard-0', atShare(0)]]) }),
    );
    expect(decision).toEqual({ action: 'none', reason: 'within-thresholds' });
  });

  it('never reshards an on-demand stream, however hot', () => {
    const decision = decideReshard(
      input({ streamMode: 'ON_DEMAND', openShards: evenShards(1), load: new Map([['shard-0', atShare(5)]]) }),
    );
    expect(decision).toEqual({ action: 'none', reason: 'on-demand-stream' });
  });

  it('waits while the stream is still applying the last reshard', () => {
    const decision = decideReshard(
      input({
        streamStatus: 'UPDATING',
        openShards: evenShards(1),
        load: new Map([['shard-0', atShare(0.95)]]),
      }),
    );
    expect(decision).toEqual({ action: 'none', reason: 'stream-not-active' });
  });

  it('waits out the cooldown after a reshard, then acts', () => {
    const hot = { openShards: evenShards(1), load: new Map([['shard-0', atShare(0.95)]]) };
    const lastReshardAt = 10_000_000 - DEFAULT_RESHARD_POLICY.cooldownMs + 1;
    expect(decideReshard(input({ ...hot, lastReshardAt }))).toEqual({ action: 'none', reason: 'cooldown' });
    expect(decideReshard(input({ ...hot, lastReshardAt: lastReshardAt - 1 }))).toMatchObject({
      action: 'split',
    });
  });

  it('does not split beyond the maximum shard count', () => {
    const decision = decideReshard(
      input({
        openShards: evenShards(2),
        load: new Map([
          ['shard-0', atShare(0.95)],
          ['shard-1', atShare(0.5)],
        ]),
        policy: { ...DEFAULT_RESHARD_POLICY, maxShards: 2 },
      }),
    );
    expect(decision).toEqual({ action: 'none', reason: 'at-max-shards' });
  });

  it('does not merge below the minimum shard count', () => {
    const decision = decideReshard(
      input({
        openShards: evenShards(2),
        load: new Map([
          ['shard-0', atShare(0.01)],
          ['shard-1', atShare(0.01)],
        ]),
        policy: { ...DEFAULT_RESHARD_POLICY, minShards: 2 },
      }),
    );
    expect(decision).toEqual({ action: 'none', reason: 'at-min-shards' });
  });

  it('splits the widest shard when the stream has fewer shards than the minimum', () => {
    const decision = decideReshard(
      input({
        openShards: evenShards(1),
        load: new Map(),
        policy: { ...DEFAULT_RESHARD_POLICY, minShards: 2 },
      }),
    );
    expect(decision).toMatchObject({ action: 'split', shardId: 'shard-0' });
  });

  it('only ever merges adjacent shards and never splits at the maximum, for any loads', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: 8, maxLength: 8 }),
        fc.integer({ min: 1, max: 8 }),
        (count, shares, maxShards) => {
          const shards = evenShards(count);
          const load = new Map(shards.map((shard, index) => [shard.shardId, atShare(shares[index] ?? 0)]));
          const policy = { ...DEFAULT_RESHARD_POLICY, maxShards: Math.max(maxShards, 1) };
          const decision = decideReshard(input({ openShards: shards, load, policy }));
          if (decision.action === 'split') expect(count).toBeLessThan(policy.maxShards);
          if (decision.action === 'merge') {
            const lower = shards.find((shard) => shard.shardId === decision.shardId) as OpenShard;
            const upper = shards.find((shard) => shard.shardId === decision.adjacentShardId) as OpenShard;
            expect(areAdjacent(lower, upper)).toBe(true);
          }
        },
      ),
    );
  });
});
