import {
  AddTagsToStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
  ListTagsForStreamCommand,
  MergeShardsCommand,
  SplitShardCommand,
} from '@aws-sdk/client-kinesis';
import { isOpenShard, listAllShards } from '../../shared/aws/list-shards.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { ShardLoadSource } from '../../shared/ports/shard-load-source.js';
import {
  decideReshard,
  type OpenShard,
  type ReshardDecision,
  type ReshardPolicy,
} from './reshard-decision.js';

/** The stream tag that remembers the last reshard (epoch ms), so the cooldown survives cold starts. */
export const LAST_RESHARD_TAG = 'stockalert/last-reshard';

export interface StreamAutoscalerDeps {
  readonly kinesis: KinesisClient;
  readonly loads: ShardLoadSource;
  readonly streamName: string;
  readonly policy: ReshardPolicy;
  readonly logger: Logger;
  readonly clock?: () => number;
}

/**
 * One autoscaler tick: reads the stream's mode, status and open shards, their load and the last
 * reshard time, decides (see `decideReshard`) and applies at most one split or merge.
 */
export async function autoscaleStream(deps: StreamAutoscalerDeps): Promise<ReshardDecision> {
  const { kinesis, streamName, logger } = deps;
  const now = (deps.clock ?? Date.now)();
  const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
  const description = summary.StreamDescriptionSummary;
  const streamMode = description?.StreamModeDetails?.StreamMode === 'ON_DEMAND' ? 'ON_DEMAND' : 'PROVISIONED';
  const streamStatus = description?.StreamStatus ?? 'UNKNOWN';
  // Neither metrics nor shards are read for a stream that is not ours to scale.
  const openShards =
    streamMode === 'ON_DEMAND' || streamStatus !== 'ACTIVE' ? [] : await listOpenShards(deps);
  const load =
    openShards.length === 0
      ? new Map()
      : await deps.loads.loadOf(
          streamName,
          openShards.map((s) => s.shardId),
        );
  const decision = decideReshard({
    streamMode,
    streamStatus,
    openShards,
    load,
    lastReshardAt: openShards.length === 0 ? undefined : await lastReshardAt(deps),
    now,
    policy: deps.policy,
  });
  if (decision.action === 'split') {
    await kinesis.send(
      new SplitShardCommand({
        StreamName: streamName,
        ShardToSplit: decision.shardId,
        NewStartingHashKey: decision.newStartingHashKey,
      }),
    );
  } else if (decision.action === 'merge') {
    await kinesis.send(
      new MergeShardsCommand({
        StreamName: streamName,
        ShardToMerge: decision.shardId,
        AdjacentShardToMerge: decision.adjacentShardId,
      }),
    );
  }
  if (decision.action === 'none') {
    logger.info('no reshard', { streamName, reason: decision.reason, openShards: openShards.length });
  } else {
    await kinesis.send(
      new AddTagsToStreamCommand({ StreamName: streamName, Tags: { [LAST_RESHARD_TAG]: String(now) } }),
    );
    logger.info('reshard', { streamName, ...decision, openShards: openShards.length });
  }
  return decision;
}

async function listOpenShards({ kinesis, streamName }: StreamAutoscalerDeps): Promise<OpenShard[]> {
  return (await listAllShards(kinesis, streamName)).filter(isOpenShard).map((shard) => ({
    shardId: shard.ShardId ?? '',
    startingHashKey: BigInt(shard.HashKeyRange?.StartingHashKey ?? '0'),
    endingHashKey: BigInt(shard.HashKeyRange?.EndingHashKey ?? '0'),
  }));
}

async function lastReshardAt({ kinesis, streamName }: StreamAutoscalerDeps): Promise<number | undefined> {
  const result = await kinesis.send(new ListTagsForStreamCommand({ StreamName: streamName }));
  const value = result.Tags?.find((tag) => tag.Key === LAST_RESHARD_TAG)?.Value;
  const at = value === undefined ? Number.NaN : Number(value);
  return Number.isFinite(at) ? at : undefined;
}
