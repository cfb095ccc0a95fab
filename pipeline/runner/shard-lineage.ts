import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { isOpenShard, listAllShards } from '../../shared/aws/list-shards.js';

/** A shard as resharding leaves it: its parents (a split has one, a merge two) and whether it is closed. */
export interface ShardNode {
  readonly shardId: string;
  readonly parentShardIds: readonly string[];
  readonly closed: boolean;
}

/**
 * The checkpoint value that marks a shard read to its end. Only a closed shard gets it, and its
 * children may start once every parent carries it.
 */
export const SHARD_END = 'SHARD_END';

/**
 * The shards to start reading now, as Lambda does after a reshard: a shard is ready when it is not
 * finished, not already being read, and every parent still in the listing has been read to its end.
 * A parent missing from the listing has aged out of retention, so there is nothing left to wait for.
 * This is what keeps a partition key's records in order across a split or a merge.
 */
export function readyShards(
  shards: readonly ShardNode[],
  finished: ReadonlySet<string>,
  running: ReadonlySet<string>,
): string[] {
  const listed = new Set(shards.map((shard) => shard.shardId));
  return shards
    .filter((shard) => !finished.has(shard.shardId) && !running.has(shard.shardId))
    .filter((shard) => shard.parentShardIds.every((parent) => !listed.has(parent) || finished.has(parent)))
    .map((shard) => shard.shardId);
}

/** Every shard of the stream still within retention, open and closed, with its parents. */
export async function listShardNodes(kinesis: KinesisClient, streamName: string): Promise<ShardNode[]> {
  return (await listAllShards(kinesis, streamName)).map((shard) => ({
    shardId: shard.ShardId ?? '',
    parentShardIds: [shard.ParentShardId, shard.AdjacentParentShardId].filter(
      (parent): parent is string => parent !== undefined,
    ),
    closed: !isOpenShard(shard),
  }));
}
