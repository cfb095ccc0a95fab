import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * Where the Lambdas' EMF metrics go (Powertools Metrics: namespace from POWERTOOLS_METRICS_NAMESPACE,
 * one `service` dimension from POWERTOOLS_SERVICE_NAME).
 */
export const METRICS_NAMESPACE = 'StockAlert';
/** The notifier's count of alerts that can never be delivered (no messenger, DMs blocked). */
export const PERMANENT_FAILURES_METRIC = 'PermanentFailures';

/** The detector is "behind" when the last record it got is older than this. */
export const ITERATOR_AGE_ALARM_MS = 60_000;

export interface OperationsProps {
  readonly functions: Readonly<Record<string, IFunction>>;
  readonly detector: IFunction;
  readonly notifierServiceName: string;
  readonly failureQueues: Readonly<Record<string, IQueue>>;
  readonly streams: Readonly<Record<string, IStream>>;
  readonly alarmEmail?: string | undefined;
}

/** Alarms to one SNS topic, and one dashboard of the pipeline. */
export class Operations extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    // CloudWatch must be able to use the key to publish an alarm: an AWS-managed SNS key would refuse it.
    const key = new Key(this, 'AlarmTopicKey', {
      enableKeyRotation: true,
      description: 'StockAlert alarm topic',
    });
    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: 'StockAlert alarms',
      masterKey: key,
      enforceSSL: true,
    });
    key.grantEncryptDecrypt(new ServicePrincipal('cloudwatch.amazonaws.com'));
    if (props.alarmEmail !== undefined) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    // Lambda reports IteratorAge for polling and enhanced fan-out mappings alike: the age of the newest
    // record of the last batch, i.e. how far behind the stream the detector is.
    this.alarm('DetectorIteratorAge', props.detector.metric('IteratorAge', { statistic: 'Maximum' }), {
      threshold: ITERATOR_AGE_ALARM_MS,
      evaluationPeriods: 3,
      description: `The detector is more than ${ITERATOR_AGE_ALARM_MS / 1000} s behind the trades stream.`,
    });
    for (const [name, fn] of Object.entries(props.functions)) {
      this.alarm(`${name}Errors`, fn.metricErrors({ period: Duration.minutes(5) }), {
        threshold: 1,
        evaluationPeriods: 1,
        description: `The ${name} function threw (see its logs).`,
      });
      this.alarm(`${name}Throttles`, fn.metricThrottles({ period: Duration.minutes(5) }), {
        threshold: 1,
        evaluationPeriods: 1,
        description: `The ${name} function was throttled (account concurrency).`,
      });
    }
    for (const [name, queue] of Object.entries(props.failureQueues)) {
      this.alarm(`${name}Depth`, queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum' }), {
        threshold: 1,
        evaluationPeriods: 1,
        description: `Records reached the ${name} on-failure queue (poison records or exhausted batches).`,
      });
    }
    const permanentFailures = new Metric({
      namespace: METRICS_NAMESPACE,
      metricName: PERMANENT_FAILURES_METRIC,
      dimensionsMap: { service: props.notifierServiceName },
      statistic: 'Sum',
      period: Duration.minutes(15),
    });
    this.alarm('NotifierPermanentFailures', permanentFailures, {
      threshold: 10,
      evaluationPeriods: 1,
      description:
        'Ten or more alerts in 15 minutes could not be delivered at all (a missing token, DMs blocked).',
    });

    const dashboard = new Dashboard(this, 'Dashboard', { dashboardName: 'StockAlert' });
    const perFunction = (metric: (fn: IFunction) => IMetric) =>
      Object.values(props.functions).map((fn) => metric(fn));
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Stream writes (records/min)',
        left: Object.values(props.streams).map((stream) =>
          stream.metricIncomingRecords({ statistic: 'Sum' }),
        ),
      }),
      new GraphWidget({
        title: 'Detector iterator age (ms)',
        left: [props.detector.metric('IteratorAge', { statistic: 'Maximum' })],
      }),
      new GraphWidget({
        title: 'Alerts and deliveries',
        left: ['Alerts', 'Deliveries', PERMANENT_FAILURES_METRIC].map(
          (metricName) => new Metric({ namespace: METRICS_NAMESPACE, metricName, statistic: 'Sum' }),
        ),
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({ title: 'Errors', left: perFunction((fn) => fn.metricErrors()) }),
      new GraphWidget({ title: 'Throttles', left: perFunction((fn) => fn.metricThrottles()) }),
      new GraphWidget({
        title: 'Duration p99',
        left: perFunction((fn) => fn.metricDuration({ statistic: 'p99' })),
      }),
      new GraphWidget({
        title: 'On-failure queues',
        left: Object.values(props.failureQueues).map((queue) =>
          queue.metricApproximateNumberOfMessagesVisible(),
        ),
      }),
    );
    dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }));
  }

  private alarm(
    id: string,
    metric: IMetric,
    settings: { threshold: number; evaluationPeriods: number; description: string },
  ): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold: settings.threshold,
      evaluationPeriods: settings.evaluationPeriods,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: settings.description,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
