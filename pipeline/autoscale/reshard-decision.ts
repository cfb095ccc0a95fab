import type { ShardLoad } from '../../shared/ports/shard-load-source.js';
import { areAdjacent, type HashKeyRange, isSplittable, midpointHashKey } from './hash-key-range.js';

/** An open shard of the stream. */
export interface OpenShard extends HashKeyRange {
  readonly shardId: string;
}

/** What one provisioned shard accepts: 1 MiB/s or 1,000 records/s, whichever comes first. */
export const SHARD_WRITE_LIMIT: ShardLoad = { bytesPerSecond: 1_048_576, recordsPerSecond: 1_000 };

export interface ReshardPolicy {
  /** Split a shard whose utilisation (bytes or records, the higher) is above this share of the limit. */
  readonly splitAbove: number;
  /** Merge two adjacent shards when both are below this share. Both below 25 % sum to below 50 %, so a merge is never split again at once. */
  readonly mergeBelow: number;
  readonly minShards: number;
  readonly maxShards: number;
  /** No reshard sooner than this after the last one: new children need time to show their load. */
  readonly cooldownMs: number;
}

export const DEFAULT_RESHARD_POLICY: ReshardPolicy = {
  splitAbove: 0.8,
  mergeBelow: 0.25,
  minShards: 1,
  maxShards: 32,
  cooldownMs: 15 * 60_000,
};

export interface ReshardInput {
  readonly streamMode: 'PROVISIONED' | 'ON_DEMAND';
  /** Kinesis allows one reshard at a time: a stream that is not ACTIVE is still applying the last one. */
  readonly streamStatus: string;
  readonly openShards: readonly OpenShard[];
  /** Load per open shard id; a shard without an entry has no metrics yet and is left alone. */
  readonly load: ReadonlyMap<string, ShardLoad>;
  readonly lastReshardAt?: number | undefined;
  readonly now: number;
  readonly policy: ReshardPolicy;
  readonly limit?: ShardLoad;
}

export type NoReshardReason =
  | 'on-demand-stream'
  | 'stream-not-active'
  | 'cooldown'
  | 'within-thresholds'
  | 'at-max-shards'
  | 'at-min-shards';

export type ReshardDecision =
  | {
      readonly action: 'split';
      readonly shardId: string;
      readonly newStartingHashKey: string;
      readonly why: string;
    }
  | {
      readonly action: 'merge';
      readonly shardId: string;
      readonly adjacentShardId: string;
      readonly why: string;
    }
  | { readonly action: 'none'; readonly reason: NoReshardReason };

/** The higher of a shard's byte and record utilisation, as a share of the write limit. */
export function utilisation(load: ShardLoad, limit: ShardLoad = SHARD_WRITE_LIMIT): number {
  return Math.max(load.bytesPerSecond / limit.bytesPerSecond, load.recordsPerSecond / limit.recordsPerSecond);
}

/**
 * At most one reshard for this tick. Order: never on an on-demand stream or a stream mid-reshard,
 * never inside the cooldown; then restore the min/max bounds; then split the hottest shard above
 * `splitAbove`; then merge the coldest adjacent pair below `mergeBelow`.
 */
export function decideReshard(input: ReshardInput): ReshardDecision {
  const { policy, openShards } = input;
  if (input.streamMode === 'ON_DEMAND') return none('on-demand-stream');
  if (input.streamStatus !== 'ACTIVE') return none('stream-not-active');
  if (input.lastReshardAt !== undefined && input.now - input.lastReshardAt < policy.cooldownMs) {
    return none('cooldown');
  }
  const limit = input.limit ?? SHARD_WRITE_LIMIT;
  const shares = new Map(
    openShards.flatMap((shard) => {
      const load = input.load.get(shard.shardId);
      return load === undefined ? [] : [[shard.shardId, utilisation(load, limit)] as const];
    }),
  );
  const count = openShards.length;

  if (count < policy.minShards) {
    const widest = [...openShards].filter(isSplittable).sort((a, b) => compareBig(width(b), width(a)))[0];
    if (widest !== undefined)
      return split(widest, `${count} open shards, below the minimum ${policy.minShards}`);
  }
  if (count > policy.maxShards) {
    const pair = coldestAdjacentPair(openShards, shares, Number.POSITIVE_INFINITY);
    if (pair !== undefined) return merge(pair, `${count} open shards, above the maximum ${policy.maxShards}`);
  }

  const hottest = openShards
    .filter((shard) => isSplittable(shard) && (shares.get(shard.shardId) ?? 0) > policy.splitAbove)
    .sort((a, b) => (shares.get(b.shardId) ?? 0) - (shares.get(a.shardId) ?? 0))[0];
  if (hottest !== undefined) {
    if (count >= policy.maxShards) return none('at-max-shards');
    return split(hottest, `at ${percent(shares.get(hottest.shardId) ?? 0)} of its write limit`);
  }

  const pair = coldestAdjacentPair(openShards, shares, policy.mergeBelow);
  if (pair !== undefined) {
    if (count <= policy.minShards) return none('at-min-shards');
    return merge(
      pair,
      `both below ${percent(policy.mergeBelow)} (${percent(pair.lowerShare)}, ${percent(pair.upperShare)})`,
    );
  }
  return none('within-thresholds');
}

interface AdjacentPair {
  readonly lower: OpenShard;
  readonly upper: OpenShard;
  readonly lowerShare: number;
  readonly upperShare: number;
}

/** The adjacent pair with the lowest combined load whose shards are both below `below` (and measured). */
function coldestAdjacentPair(
  shards: readonly OpenShard[],
  shares: ReadonlyMap<string, number>,
  below: number,
): AdjacentPair | undefined {
  const sorted = [...shards].sort((a, b) => compareBig(a.startingHashKey, b.startingHashKey));
  let best: AdjacentPair | undefined;
  for (let index = 0; index + 1 < sorted.length; index += 1) {
    const lower = sorted[index] as OpenShard;
    const upper = sorted[index + 1] as OpenShard;
    const lowerShare = shares.get(lower.shardId);
    const upperShare = shares.get(upper.shardId);
    if (lowerShare === undefined || upperShare === undefined) continue;
    if (!areAdjacent(lower, upper) || lowerShare >= below || upperShare >= below) continue;
    if (best === undefined || lowerShare + upperShare < best.lowerShare + best.upperShare) {
      best = { lower, upper, lowerShare, upperShare };
    }
  }
  return best;
}

function split(shard: OpenShard, why: string): ReshardDecision {
  return {
    action: 'split',
    shardId: shard.shardId,
    newStartingHashKey: midpointHashKey(shard).toString(),
    why,
  };
}

function merge(pair: AdjacentPair, why: string): ReshardDecision {
  return { action: 'merge', shardId: pair.lower.shardId, adjacentShardId: pair.upper.shardId, why };
}

function none(reason: NoReshardReason): ReshardDecision {
  return { action: 'none', reason };
}

function width(range: OpenShard): bigint {
  return range.endingHashKey - range.startingHashKey;
}

function compareBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}
