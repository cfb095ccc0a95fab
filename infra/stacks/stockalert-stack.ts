import { type CfnElement, CfnOutput, Stack, type StackProps, TimeZone } from 'aws-cdk-lib';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { KinesisConsumerEventSource, KinesisEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Construct } from 'constructs';
import { DETECTOR_EVENT_SOURCE, NOTIFIER_EVENT_SOURCE } from '../../shared/aws/event-source-settings.js';
import { DEFAULT_RESOURCE_NAMES, type ResourceNames } from '../../shared/aws/resources.js';
import { resourceNamesToEnv } from '../../shared/config/aws-env.js';
import { BundledFunction } from '../constructs/bundled-function.js';
import { ChatSecrets } from '../constructs/chat-secrets.js';
import { ChatServices } from '../constructs/chat-services.js';
import { DataStore } from '../constructs/data-store.js';
import { METRICS_NAMESPACE, Operations } from '../constructs/operations.js';
import { Streams } from '../constructs/streams.js';
import { eventSourcePropsFrom } from '../event-source-props.js';
import { type InfraOptions, loadInfraOptions } from '../infra-options.js';
import { LAMBDA_BUNDLES, type LambdaBundle, type LambdaId } from '../lambda-bundles.js';
import { acceptArchiveWrites, acceptMetricReads } from '../nag-suppressions.js';

export interface StockAlertStackProps extends StackProps {
  /** The functions to deploy; a function whose entry is not listed is not wired (digest before it exists). */
  readonly bundles?: readonly LambdaBundle[];
  readonly names?: ResourceNames;
}

/** Seconds between two reshards of the trades stream: a split's children need time to show their load. */
export const AUTOSCALE_COOLDOWN_SECONDS = 900;

/** Where the feed connector archives what it streamed (hourly gzip CSV). */
const ARCHIVE_KEYS = 'archive/*';

/**
 * StockAlert in one account: the data bucket and tables, the trades and alerts streams, the detector,
 * notifier, digest and autoscaler Lambdas, the bot (and optionally the feed connector) on Fargate,
 * alarms and a dashboard. Context switches: see `infra-options.ts`.
 */
export class StockAlertStack extends Stack {
  readonly options: InfraOptions;
  readonly functions: Partial<Record<LambdaId, IFunction>> = {};

  constructor(scope: Construct, id: string, props: StockAlertStackProps = {}) {
    super(scope, id, props);
    const options = loadInfraOptions(this.node);
    this.options = options;
    const names = props.names ?? DEFAULT_RESOURCE_NAMES;
    const data = new DataStore(this, 'Data', names);
    const streams = new Streams(this, 'Streams', names, options);
    const secrets = new ChatSecrets(this, 'Secrets', options);
    const environment = {
      ...resourceNamesToEnv({ ...names, bucket: data.bucket.bucketName }),
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    };
    const { tables } = data;
    const { trades, alerts } = streams.streams;

    for (const bundle of props.bundles ?? LAMBDA_BUNDLES) {
      if (bundle.id === 'autoscaler' && options.streamMode === 'on-demand') continue;
      const functionEnv: Record<string, string> = { ...environment };
      if (bundle.id === 'notifier' || bundle.id === 'digest') {
        for (const [variable, secret] of secrets.pick(['DISCORD_BOT_TOKEN', 'SLACK_BOT_TOKEN'])) {
          functionEnv[`${variable}_SECRET_ARN`] = secret.secretArn;
        }
      }
      if (bundle.id === 'autoscaler') {
        Object.assign(functionEnv, {
          STOCKALERT_AUTOSCALE_MIN_SHARDS: String(options.minShards),
          STOCKALERT_AUTOSCALE_MAX_SHARDS: String(options.maxShards),
          STOCKALERT_AUTOSCALE_COOLDOWN_SECONDS: String(AUTOSCALE_COOLDOWN_SECONDS),
        });
      }
      const fn = new BundledFunction(this, `${bundle.id}Function`, { bundle, environment: functionEnv }).fn;
      this.functions[bundle.id] = fn;
      switch (bundle.id) {
        case 'detector': {
          tables.watches.grantReadData(fn);
          tables.quotes.grantReadWriteData(fn);
          tables.alerts.grantReadWriteData(fn);
          alerts.grantWrite(fn);
          const settings = eventSourcePropsFrom(DETECTOR_EVENT_SOURCE, streams.queues.detectorFailures);
          fn.addEventSource(
            streams.detectorConsumer === undefined
              ? new KinesisEventSource(trades, settings)
              : new KinesisConsumerEventSource(streams.detectorConsumer, settings),
          );
          break;
        }
        case 'notifier':
          tables.alerts.grantReadWriteData(fn);
          tables.recipients.grantReadWriteData(fn);
          tables.quotes.grantReadData(fn);
          for (const [, secret] of secrets.pick(['DISCORD_BOT_TOKEN', 'SLACK_BOT_TOKEN']))
            secret.grantRead(fn);
          fn.addEventSource(
            new KinesisEventSource(
              alerts,
              eventSourcePropsFrom(NOTIFIER_EVENT_SOURCE, streams.queues.notifierFailures),
            ),
          );
          break;
        case 'digest':
          tables.subscriptions.grantReadWriteData(fn);
          tables.quotes.grantReadData(fn);
          tables.alerts.grantReadData(fn);
          // A digest without listed symbols covers the symbols the community watches.
          tables.watches.grantReadData(fn);
          for (const [, secret] of secrets.pick(['DISCORD_BOT_TOKEN', 'SLACK_BOT_TOKEN']))
            secret.grantRead(fn);
          new Schedule(this, 'DigestSchedule', {
            description: 'The digest tick: the digest posts to the channels that are due.',
            schedule: ScheduleExpression.expression(options.digestSchedule, TimeZone.AMERICA_NEW_YORK),
            target: new LambdaInvoke(fn, { retryAttempts: 0 }),
          });
          break;
        case 'autoscaler':
          trades.grant(
            fn,
            'kinesis:ListShards',
            'kinesis:DescribeStreamSummary',
            'kinesis:SplitShard',
            'kinesis:MergeShards',
            'kinesis:ListTagsForStream',
            'kinesis:AddTagsToStream',
          );
          // GetMetricData has no resource-level permissions: '*' is the only resource it accepts.
          Grant.addToPrincipal({ grantee: fn, actions: ['cloudwatch:GetMetricData'], resourceArns: ['*'] });
          if (fn.role !== undefined) acceptMetricReads(fn.role);
          new Schedule(this, 'AutoscaleSchedule', {
            description: 'The trades stream shard autoscaler tick.',
            schedule: ScheduleExpression.expression(options.autoscaleSchedule),
            target: new LambdaInvoke(fn, { retryAttempts: 0 }),
          });
          break;
      }
    }

    const chat = new ChatServices(this, 'Chat', {
      options,
      secrets,
      environment: {
        ...environment,
        STOCKALERT_AWS: 'aws',
        ...(options.platforms.includes('slack') && { STOCKALERT_SLACK_MODE: 'socket' }),
      },
    });
    const botRole = chat.bot.taskDefinition.taskRole;
    tables.watches.grantReadWriteData(botRole);
    tables.recipients.grantReadWriteData(botRole);
    tables.subscriptions.grantReadWriteData(botRole);
    tables.quotes.grantReadData(botRole);
    if (chat.feed !== undefined) {
      const feedRole = chat.feed.taskDefinition.taskRole;
      trades.grantWrite(feedRole);
      tables.watches.grantReadData(feedRole);
      data.bucket.grantPut(feedRole, ARCHIVE_KEYS);
      acceptArchiveWrites(feedRole, this.getLogicalId(data.bucket.node.defaultChild as CfnElement));
    }

    const functions = Object.fromEntries(Object.entries(this.functions)) as Record<string, IFunction>;
    if (this.functions.detector !== undefined) {
      new Operations(this, 'Operations', {
        functions,
        detector: this.functions.detector,
        notifierServiceName: 'stockalert-notifier',
        failureQueues: streams.queues,
        streams: streams.streams,
        alarmEmail: options.alarmEmail,
      });
    }

    new CfnOutput(this, 'DataBucket', { value: data.bucket.bucketName, description: 'STOCKALERT_BUCKET' });
    new CfnOutput(this, 'TradesStream', {
      value: trades.streamName,
      description: 'STOCKALERT_TRADES_STREAM',
    });
    new CfnOutput(this, 'Region', { value: this.region, description: 'AWS_REGION' });
    new CfnOutput(this, 'BotCluster', { value: chat.bot.service.cluster.clusterName });
    new CfnOutput(this, 'BotService', { value: chat.bot.service.serviceName });
  }
}
