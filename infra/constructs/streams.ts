import { CfnParameter, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  ShardLevelMetrics,
  Stream,
  StreamConsumer,
  StreamEncryption,
  StreamMode,
} from 'aws-cdk-lib/aws-kinesis';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QUEUES, type ResourceNames, STREAMS } from '../../shared/aws/resources.js';
import type { InfraOptions } from '../infra-options.js';

export type StreamId = keyof typeof STREAMS;
export type QueueId = keyof typeof QUEUES;

/**
 * The trades and alerts streams (provisioned with a shard-count parameter, or on demand), their
 * on-failure queues, and the detector's enhanced fan-out consumer when that reader is chosen.
 */
export class Streams extends Construct {
  readonly streams: Record<StreamId, Stream>;
  readonly queues: Record<QueueId, Queue>;
  /** The detector's dedicated-throughput consumer of the trades stream (EFO reader only). */
  readonly detectorConsumer?: StreamConsumer;

  constructor(scope: Construct, id: string, names: ResourceNames, options: InfraOptions) {
    super(scope, id);
    const trades = this.stream('trades', names, options, [
      // The shard autoscaler reads these per shard.
      ShardLevelMetrics.INCOMING_BYTES,
      ShardLevelMetrics.INCOMING_RECORDS,
    ]);
    const alerts = this.stream('alerts', names, options, []);
    this.streams = { trades, alerts };
    this.queues = {
      detectorFailures: this.queue('detectorFailures', names),
      notifierFailures: this.queue('notifierFailures', names),
    };
    if (options.detectorReader === 'efo') {
      this.detectorConsumer = new StreamConsumer(this, 'DetectorConsumer', {
        streamConsumerName: `${names.tradesStream}-detector`,
        stream: trades,
      });
    }
  }

  private stream(
    streamId: StreamId,
    names: ResourceNames,
    options: InfraOptions,
    shardLevelMetrics: ShardLevelMetrics[],
  ): Stream {
    const definition = STREAMS[streamId];
    const common = {
      streamName: names[definition.nameKey],
      encryption: StreamEncryption.MANAGED,
      retentionPeriod: Duration.hours(24),
      removalPolicy: RemovalPolicy.DESTROY,
    };
    if (options.streamMode === 'on-demand') {
      return new Stream(this, `${streamId}Stream`, { ...common, streamMode: StreamMode.ON_DEMAND });
    }
    // At stack level, so the parameter is simply `TradesShardCount` on the command line.
    const shards = new CfnParameter(Stack.of(this), `${capitalised(streamId)}ShardCount`, {
      type: 'Number',
      default: definition.shardCount,
      minValue: 1,
      description: `Open shards of the ${streamId} stream at deploy time (partitioned by ${definition.partitionedBy}).`,
    });
    return new Stream(this, `${streamId}Stream`, {
      ...common,
      streamMode: StreamMode.PROVISIONED,
      shardCount: shards.valueAsNumber,
      ...(shardLevelMetrics.length > 0 && { shardLevelMetrics }),
    });
  }

  private queue(queueId: QueueId, names: ResourceNames): Queue {
    return new Queue(this, `${queueId}Queue`, {
      queueName: names[QUEUES[queueId].nameKey],
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
  }
}

function capitalised(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
