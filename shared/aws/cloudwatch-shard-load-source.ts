import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import type { ShardLoad, ShardLoadSource } from '../ports/shard-load-source.js';

/** GetMetricData takes at most 500 queries a call: two per shard. */
const SHARDS_PER_CALL = 250;
const PERIOD_SECONDS = 60;

/**
 * Shard load from Kinesis enhanced (shard-level) monitoring: the busiest minute of the look-back,
 * as a per-second rate. Shard-level metrics must be enabled on the stream (the CDK app does).
 */
export class CloudWatchShardLoadSource implements ShardLoadSource {
  constructor(
    private readonly cloudwatch: CloudWatchClient,
    private readonly lookBackMinutes = 10,
    private readonly clock: () => number = Date.now,
  ) {}

  async loadOf(streamName: string, shardIds: readonly string[]): Promise<ReadonlyMap<string, ShardLoad>> {
    const loads = new Map<string, ShardLoad>();
    const endTime = new Date(this.clock());
    const startTime = new Date(endTime.getTime() - this.lookBackMinutes * 60_000);
    for (let offset = 0; offset < shardIds.length; offset += SHARDS_PER_CALL) {
      const chunk = shardIds.slice(offset, offset + SHARDS_PER_CALL);
      const queries = chunk.flatMap((shardId, index) => [
        query(`b${index}`, 'IncomingBytes', streamName, shardId),
        query(`r${index}`, 'IncomingRecords', streamName, shardId),
      ]);
      const peaks = new Map<string, number>();
      let nextToken: string | undefined;
      do {
        const result = await this.cloudwatch.send(
          new GetMetricDataCommand({
            MetricDataQueries: queries,
            StartTime: startTime,
            EndTime: endTime,
            NextToken: nextToken,
          }),
        );
        for (const series of result.MetricDataResults ?? []) {
          const peak = Math.max(0, ...(series.Values ?? []));
          peaks.set(series.Id ?? '', Math.max(peaks.get(series.Id ?? '') ?? 0, peak));
        }
        nextToken = result.NextToken;
      } while (nextToken !== undefined);
      chunk.forEach((shardId, index) => {
        loads.set(shardId, {
          bytesPerSecond: (peaks.get(`b${index}`) ?? 0) / PERIOD_SECONDS,
          recordsPerSecond: (peaks.get(`r${index}`) ?? 0) / PERIOD_SECONDS,
        });
      });
    }
    return loads;
  }
}

function query(id: string, metricName: string, streamName: string, shardId: string): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/Kinesis',
        MetricName: metricName,
        Dimensions: [
          { Name: 'StreamName', Value: streamName },
          { Name: 'ShardId', Value: shardId },
        ],
      },
      Period: PERIOD_SECONDS,
      Stat: 'Sum',
    },
    ReturnData: true,
  };
}
