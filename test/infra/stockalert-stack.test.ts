import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_BUNDLES } from '../../infra/lambda-bundles.js';
import {
  DETECTOR_EVENT_SOURCE,
  type EventSourceSettings,
  NOTIFIER_EVENT_SOURCE,
} from '../../shared/aws/event-source-settings.js';
import {
  DEFAULT_RESOURCE_NAMES,
  QUEUES,
  TABLES,
  WATCHES_BY_SYMBOL_INDEX,
} from '../../shared/aws/resources.js';
import {
  actionsOf,
  logicalIdOf,
  type SynthesizedStack,
  statementsOfRole,
  synthStockAlert,
  TEST_BOT_IMAGE,
} from '../helpers/infra-template.js';

/**
 * The CloudFormation form of an event source mapping that applies `settings`, written out here
 * independently of infra/event-source-props.ts: the template must say what the local runner does.
 */
function expectedMapping(settings: EventSourceSettings, queueLogicalId: string) {
  return {
    BatchSize: settings.batchSize,
    MaximumBatchingWindowInSeconds: settings.maxBatchingWindowSeconds,
    BisectBatchOnFunctionError: settings.bisectBatchOnError,
    MaximumRetryAttempts: settings.retryAttempts,
    FunctionResponseTypes: settings.reportBatchItemFailures ? ['ReportBatchItemFailures'] : Match.absent(),
    StartingPosition: settings.startingPosition,
    MaximumRecordAgeInSeconds: settings.maxRecordAgeSeconds,
    ParallelizationFactor: settings.parallelizationFactor,
    DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueLogicalId, 'Arn'] } } },
  };
}

const queueId = (name: string) => `Streams${name}Queue`;

describe('the StockAlert stack (default context: provisioned streams, EFO detector)', () => {
  let synth: SynthesizedStack;
  beforeAll(() => {
    synth = synthStockAlert();
  });

  it('gives the detector mapping exactly the local runner’s settings, reading through the EFO consumer', () => {
    const { template } = synth;
    const consumer = logicalIdOf(template, 'AWS::Kinesis::StreamConsumer', 'StreamsDetectorConsumer');
    const trades = logicalIdOf(template, 'AWS::Kinesis::Stream', 'Streamstrades');
    template.hasResourceProperties('AWS::Kinesis::StreamConsumer', {
      ConsumerName: `${DEFAULT_RESOURCE_NAMES.tradesStream}-detector`,
      StreamARN: { 'Fn::GetAtt': [trades, 'Arn'] },
    });
    const queue = logicalIdOf(template, 'AWS::SQS::Queue', queueId(DETECTOR_EVENT_SOURCE.onFailureQueue));
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ...expectedMapping(DETECTOR_EVENT_SOURCE, queue),
      EventSourceArn: { 'Fn::GetAtt': [consumer, 'ConsumerARN'] },
      FunctionName: { Ref: logicalIdOf(template, 'AWS::Lambda::Function', 'detectorFunction') },
    });
  });

  it('gives the notifier mapping exactly the local runner’s settings on the alerts stream', () => {
    const { template } = synth;
    const queue = logicalIdOf(template, 'AWS::SQS::Queue', queueId(NOTIFIER_EVENT_SOURCE.onFailureQueue));
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ...expectedMapping(NOTIFIER_EVENT_SOURCE, queue),
      EventSourceArn: {
        'Fn::GetAtt': [logicalIdOf(template, 'AWS::Kinesis::Stream', 'Streamsalerts'), 'Arn'],
      },
      FunctionName: { Ref: logicalIdOf(template, 'AWS::Lambda::Function', 'notifierFunction') },
    });
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
  });

  it('creates every table of resources.ts on demand, with PITR, its GSI and its TTL', () => {
    const { template } = synth;
    for (const definition of Object.values(TABLES)) {
      const ttl = 'ttlAttribute' in definition ? definition.ttlAttribute : undefined;
      template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        TableName: DEFAULT_RESOURCE_NAMES[definition.nameKey],
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: Match.arrayWith([{ AttributeName: definition.partitionKey.name, KeyType: 'HASH' }]),
        TimeToLiveSpecification: ttl === undefined ? Match.absent() : { AttributeName: ttl, Enabled: true },
        Replicas: [
          Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
        ],
      });
    }
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: DEFAULT_RESOURCE_NAMES.watchesTable,
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: WATCHES_BY_SYMBOL_INDEX,
          KeySchema: [
            { AttributeName: 'symbol', KeyType: 'HASH' },
            { AttributeName: 'symbolWatchKey', KeyType: 'RANGE' },
          ],
        }),
      ],
    });
    // TTL on Alerts and on the minute bars (Quotes), as DESIGN.md asks.
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: DEFAULT_RESOURCE_NAMES.quotesTable,
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('encrypts the streams, queues and bucket, refuses plain HTTP, and expires rejects and checkpoints', () => {
    const { template } = synth;
    for (const name of [DEFAULT_RESOURCE_NAMES.tradesStream, DEFAULT_RESOURCE_NAMES.alertsStream]) {
      template.hasResourceProperties('AWS::Kinesis::Stream', {
        Name: name,
        StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
        StreamModeDetails: { StreamMode: 'PROVISIONED' },
      });
    }
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: DEFAULT_RESOURCE_NAMES.tradesStream,
      ShardCount: { Ref: 'TradesShardCount' },
      DesiredShardLevelMetrics: Match.arrayWith(['IncomingBytes', 'IncomingRecords']),
    });
    for (const definition of Object.values(QUEUES)) {
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: DEFAULT_RESOURCE_NAMES[definition.nameKey],
        SqsManagedSseEnabled: true,
      });
    }
    const tlsOnly = Match.objectLike({
      Effect: 'Deny',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([tlsOnly]) },
    });
    const bucket = logicalIdOf(template, 'AWS::S3::Bucket', 'Data178');
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucket },
      PolicyDocument: { Statement: Match.arrayWith([tlsOnly]) },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: { 'Fn::Join': ['', Match.arrayWith([`${DEFAULT_RESOURCE_NAMES.bucket}-`])] },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'rejects/', ExpirationInDays: Match.anyValue(), Status: 'Enabled' }),
          Match.objectLike({ Prefix: 'checkpoints/', ExpirationInDays: Match.anyValue(), Status: 'Enabled' }),
        ]),
      },
    });
  });

  it('runs every bundle on nodejs22.x arm64 with its memory, timeout and NODE_OPTIONS', () => {
    const { template } = synth;
    for (const bundle of LAMBDA_BUNDLES) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: Match.absent(),
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: bundle.memoryMb,
        Timeout: bundle.timeoutSeconds,
        Environment: {
          Variables: Match.objectLike({
            POWERTOOLS_SERVICE_NAME: `stockalert-${bundle.id}`,
            STOCKALERT_TRADES_STREAM: DEFAULT_RESOURCE_NAMES.tradesStream,
            NODE_OPTIONS: bundle.nodeOptions ?? Match.absent(),
          }),
        },
      });
    }
  });

  it('alarms on iterator age, errors, throttles, failure-queue depth and permanent failures, to one topic', () => {
    const { template } = synth;
    const topic = { Ref: logicalIdOf(template, 'AWS::SNS::Topic', 'OperationsAlarmTopic') };
    const detector = { Ref: logicalIdOf(template, 'AWS::Lambda::Function', 'detectorFunction') };
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: detector }],
      AlarmActions: [topic],
    });
    for (const bundle of LAMBDA_BUNDLES) {
      const fn = { Ref: logicalIdOf(template, 'AWS::Lambda::Function', `${bundle.id}Function`) };
      for (const metric of ['Errors', 'Throttles']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: fn }],
          AlarmActions: [topic],
        });
      }
    }
    for (const definition of Object.values(QUEUES)) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [
          {
            Name: 'QueueName',
            Value: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^Streams.*Queue`), 'QueueName'] },
          },
        ],
        AlarmActions: [topic],
      });
      expect(DEFAULT_RESOURCE_NAMES[definition.nameKey]).toBeTruthy();
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'StockAlert',
      MetricName: 'PermanentFailures',
      Dimensions: [{ Name: 'service', Value: 'stockalert-notifier' }],
      AlarmActions: [topic],
    });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1 + 2 * LAMBDA_BUNDLES.length + 2 + 1);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('gives the detector only what it uses: no S3, no secrets, no writes to the trades stream', () => {
    const { template } = synth;
    const actions = actionsOf(statementsOfRole(template, 'detectorFunctionServiceRole'));
    expect(actions.filter((action) => action.startsWith('s3:'))).toEqual([]);
    expect(actions.filter((action) => action.startsWith('secretsmanager:'))).toEqual([]);
    expect(actions).toContain('kinesis:SubscribeToShard');
    expect(actions).toContain('sqs:SendMessage');
    for (const statements of Object.keys(template.findResources('AWS::IAM::Role')).map((role) =>
      statementsOfRole(template, role),
    )) {
      // grant*() never hands out a service-wide wildcard.
      expect(actionsOf(statements).filter((action) => action === '*' || action.endsWith(':*'))).toEqual([]);
    }
    const tradesArn = {
      'Fn::GetAtt': [logicalIdOf(template, 'AWS::Kinesis::Stream', 'Streamstrades'), 'Arn'],
    };
    const writesTrades = statementsOfRole(template, 'detectorFunctionServiceRole').filter(
      (statement) =>
        JSON.stringify(statement.Resource).includes(JSON.stringify(tradesArn)) &&
        actionsOf([statement]).some((action) => action.startsWith('kinesis:Put')),
    );
    expect(writesTrades).toEqual([]);
  });

  it('lets only the notifier read the bot-token secrets, and passes it their ARNs', () => {
    const { template } = synth;
    const discordSecret = {
      Ref: logicalIdOf(template, 'AWS::SecretsManager::Secret', 'SecretsDISCORDBOTTOKEN'),
    };
    const notifier = statementsOfRole(template, 'notifierFunctionServiceRole');
    expect(notifier).toContainEqual(
      expect.objectContaining({
        Action: expect.arrayContaining(['secretsmanager:GetSecretValue']),
        Resource: discordSecret,
      }),
    );
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: 'stockalert-notifier',
          DISCORD_BOT_TOKEN_SECRET_ARN: discordSecret,
        }),
      },
    });
    const autoscaler = statementsOfRole(template, 'autoscalerFunctionServiceRole');
    expect(actionsOf(autoscaler)).toEqual(
      expect.arrayContaining(['kinesis:SplitShard', 'kinesis:MergeShards', 'cloudwatch:GetMetricData']),
    );
    expect(actionsOf(autoscaler).filter((action) => action.startsWith('secretsmanager:'))).toEqual([]);
  });

  it('runs the bot on Fargate arm64 from the given image, its tokens from Secrets Manager', () => {
    const { template } = synth;
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      ContainerDefinitions: [
        Match.objectLike({
          Image: TEST_BOT_IMAGE,
          Secrets: Match.arrayWith([
            {
              Name: 'DISCORD_BOT_TOKEN',
              ValueFrom: {
                Ref: logicalIdOf(template, 'AWS::SecretsManager::Secret', 'SecretsDISCORDBOTTOKEN'),
              },
            },
          ]),
          Environment: Match.arrayWith([{ Name: 'STOCKALERT_AWS', Value: 'aws' }]),
        }),
      ],
    });
    template.resourceCountIs('AWS::ECS::Service', 1);
    // The autoscaler's tick and the digest's tick.
    template.resourceCountIs('AWS::Scheduler::Schedule', 2);
  });

  it('leaves no cdk-nag AwsSolutions finding unacknowledged', () => {
    expect(synth.unacknowledgedFindings()).toEqual([]);
  });
});

describe('the StockAlert stack with its switches turned the other way', () => {
  let synth: SynthesizedStack;
  beforeAll(() => {
    synth = synthStockAlert({ streamMode: 'on-demand', detectorReader: 'polling', feed: 'alpaca' });
  });

  it('reads the trades stream by polling, with the same settings, when EFO is switched off', () => {
    const { template } = synth;
    template.resourceCountIs('AWS::Kinesis::StreamConsumer', 0);
    const queue = logicalIdOf(template, 'AWS::SQS::Queue', queueId(DETECTOR_EVENT_SOURCE.onFailureQueue));
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ...expectedMapping(DETECTOR_EVENT_SOURCE, queue),
      EventSourceArn: {
        'Fn::GetAtt': [logicalIdOf(template, 'AWS::Kinesis::Stream', 'Streamstrades'), 'Arn'],
      },
    });
  });

  it('makes both streams on-demand, with no shard parameter and no autoscaler', () => {
    const { template } = synth;
    template.allResourcesProperties('AWS::Kinesis::Stream', {
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      ShardCount: Match.absent(),
    });
    expect(Object.keys(template.toJSON().Parameters ?? {})).not.toContain('TradesShardCount');
    template.resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      { Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'stockalert-autoscaler' }) } },
      0,
    );
  });

  it('schedules the digest in New York time (the only schedule on an on-demand stream)', () => {
    const { template } = synth;
    const fn = logicalIdOf(template, 'AWS::Lambda::Function', 'digestFunction');
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpressionTimezone: 'America/New_York',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [fn, 'Arn'] } }),
    });
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    const actions = actionsOf(statementsOfRole(template, 'digestFunctionServiceRole'));
    expect(actions).toContain('secretsmanager:GetSecretValue');
    expect(actions).toEqual(
      expect.arrayContaining(['dynamodb:Query', 'dynamodb:Scan', 'dynamodb:UpdateItem']),
    );
    expect(actions.filter((action) => action.startsWith('kinesis:'))).toEqual([]);
  });

  it('adds the live feed connector as a second service with the Alpaca keys', () => {
    const { template } = synth;
    template.resourceCountIs('AWS::ECS::Service', 2);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({
          Command: ['node', '--max-semi-space-size=4', 'dist/stockalert.mjs', 'feed', 'alpaca'],
          Secrets: Match.arrayWith([Match.objectLike({ Name: 'ALPACA_API_KEY_ID' })]),
        }),
      ],
    });
    const actions = actionsOf(statementsOfRole(template, 'ChatfeedTaskTaskRole'));
    expect(actions).toContain('kinesis:PutRecords');
  });

  it('leaves no cdk-nag AwsSolutions finding unacknowledged', () => {
    expect(synth.unacknowledgedFindings()).toEqual([]);
  });
});

describe('the CDK context', () => {
  it('refuses an unknown switch value and says what it accepts', () => {
    expect(() => synthStockAlert({ detectorReader: 'fast' })).toThrow(/-c detectorReader: .*"efo"/);
  });

  it('refuses an autoscaler minimum above its maximum', () => {
    expect(() => synthStockAlert({ minShards: 8, maxShards: 4 })).toThrow(
      /minShards \(8\) exceeds maxShards \(4\)/,
    );
  });
});
