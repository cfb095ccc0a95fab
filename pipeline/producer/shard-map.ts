import { createHash } from 'node:crypto';
import { type KinesisClient, ListShardsCommand, type Shard } from '@aws-sdk/client-kinesis';

interface ShardRange {
  readonly shardId: string;
  readonly start: bigint;
  readonly end: bigint;
}

/**
 * Which open shard a partition key lands on, as Kinesis decides it: the MD5 of the key, read as a
 * 128-bit unsigned integer, falls in one shard's hash-key range (from ListShards).
 */
export class ShardMap {
  private readonly byKey = new Map<string, string>();

  private constructor(private readonly ranges: readonly ShardRange[]) {}

  static async load(kinesis: KinesisClient, streamName: string): Promise<ShardMap> {
    const shards: Shard[] = [];
    let nextToken: string | undefined;
    do {
      const page = await kinesis.send(
        new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: streamName }),
      );
      shards.push(...(page.Shards ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return ShardMap.fromShards(shards);
  }

  static fromShards(shards: readonly Shard[]): ShardMap {
    const open = shards.filter((shard) => shard.SequenceNumberRange?.EndingSequenceNumber === undefined);
    return new ShardMap(
      open.map((shard) => ({
        shardId: shard.ShardId as string,
        start: BigInt(shard.HashKeyRange?.StartingHashKey ?? '0'),
        end: BigInt(shard.HashKeyRange?.EndingHashKey ?? '0'),
      })),
    );
  }

  get shardIds(): readonly string[] {
    return this.ranges.map((range) => range.shardId);
  }

  shardOf(partitionKey: string): string {
    let shardId = this.byKey.get(partitionKey);
    if (shardId === undefined) {
      const hash = BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
      const range = this.ranges.find((candidate) => candidate.start <= hash && hash <= candidate.end);
      if (range === undefined)
        throw new Error(`no open shard covers the hash of partition key ${partitionKey}`);
      shardId = range.shardId;
      this.byKey.set(partitionKey, shardId);
    }
    return shardId;
  }
}
