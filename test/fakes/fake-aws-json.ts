import { createHash, randomUUID } from 'node:crypto';
import { FakeHttpServer, type FakeRequest, type FakeResponse } from './fake-http-server.js';

/** A message an SQS queue received. */
export interface QueuedMessage {
  readonly queueName: string;
  readonly body: string;
}

/** One metric a GetMetricData query asked for: `AWS/Kinesis` `IncomingBytes` of a stream's shard… */
export interface MetricKey {
  readonly namespace: string;
  readonly metricName: string;
  /** Dimension name → value, e.g. StreamName and ShardId. */
  readonly dimensions: Readonly<Record<string, string>>;
}

interface MetricDataQueryInput {
  Id?: string;
  MetricStat?: {
    Metric?: { Namespace?: string; MetricName?: string; Dimensions?: { Name?: string; Value?: string }[] };
    Period?: number;
    Stat?: string;
  };
}

/**
 * The AWS services the embedded stack lacks, as far as the Lambdas use them, over the real SDK
 * wire protocol (AWS JSON: `X-Amz-Target` + JSON body): SQS `GetQueueUrl` / `SendMessage` (the
 * on-failure queues), Secrets Manager `GetSecretValue` (platform tokens) and CloudWatch
 * `GetMetricData` (the autoscaler's shard metrics: the installed CloudWatch client, 3.1178, speaks AWS JSON 1.0,
 * not the query protocol). Point a client at `url` (`AWS_ENDPOINT_URL_SQS`, `AWS_ENDPOINT_URL_SECRETS_MANAGER`,
 * `AWS_ENDPOINT_URL_CLOUDWATCH`).
 */
export class FakeAwsJson {
  readonly messages: QueuedMessage[] = [];
  readonly secretReads: string[] = [];
  /** Every metric GetMetricData was asked for, in order. */
  readonly metricQueries: MetricKey[] = [];
  private readonly secrets = new Map<string, string>();
  private readonly metricSums: { key: MetricKey; sum: number }[] = [];

  private constructor(
    readonly http: FakeHttpServer,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeAwsJson> {
    let self: FakeAwsJson | undefined;
    const http = new FakeHttpServer((request) => self?.route(request) ?? { status: 503 });
    const port = await http.listen();
    self = new FakeAwsJson(http, `http://127.0.0.1:${port}`);
    return self;
  }

  putSecret(secretId: string, value: string): void {
    this.secrets.set(secretId, value);
  }

  /**
   * The per-period Sum that GetMetricData returns (one datapoint) for every query whose namespace,
   * name and dimensions equal `key`'s; other queries get no datapoints, as CloudWatch gives for a
   * metric with no data.
   */
  putMetricSum(key: MetricKey, sum: number): void {
    this.metricSums.push({ key, sum });
  }

  queueMessages(queueName: string): unknown[] {
    return this.messages.filter((m) => m.queueName === queueName).map((m) => JSON.parse(m.body) as unknown);
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private route(request: FakeRequest): FakeResponse {
    const target = String(request.headers['x-amz-target'] ?? '');
    const input = JSON.parse(request.rawBody.toString('utf8') || '{}') as Record<string, string>;
    switch (target) {
      case 'AmazonSQS.GetQueueUrl':
        return { status: 200, body: { QueueUrl: `${this.url}/000000000000/${input.QueueName}` } };
      case 'AmazonSQS.SendMessage': {
        const body = input.MessageBody ?? '';
        this.messages.push({ queueName: (input.QueueUrl ?? '').split('/').pop() ?? '', body });
        const md5 = createHash('md5').update(body).digest('hex');
        return { status: 200, body: { MessageId: randomUUID(), MD5OfMessageBody: md5 } };
      }
      case 'secretsmanager.GetSecretValue': {
        const id = input.SecretId ?? '';
        this.secretReads.push(id);
        const value = this.secrets.get(id);
        if (value === undefined) {
          return {
            status: 400,
            body: { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the secret." },
          };
        }
        return {
          status: 200,
          body: {
            ARN: id,
            Name: id,
            SecretString: value,
            VersionId: randomUUID(),
            CreatedDate: 1_700_000_000,
          },
        };
      }
      case 'GraniteServiceVersion20100801.GetMetricData':
        return { status: 200, body: this.metricData(JSON.parse(request.rawBody.toString('utf8'))) };
      default:
        return { status: 400, body: { __type: 'UnknownOperationException', message: `no ${target}` } };
    }
  }

  private metricData(input: { MetricDataQueries?: MetricDataQueryInput[]; EndTime?: number }) {
    const at = Math.floor(input.EndTime ?? Date.now() / 1000) - 60;
    return {
      MetricDataResults: (input.MetricDataQueries ?? []).map((query) => {
        const metric = query.MetricStat?.Metric;
        const key: MetricKey = {
          namespace: metric?.Namespace ?? '',
          metricName: metric?.MetricName ?? '',
          dimensions: Object.fromEntries(
            (metric?.Dimensions ?? []).map((d) => [d.Name ?? '', d.Value ?? '']),
          ),
        };
        this.metricQueries.push(key);
        const served = this.metricSums.find((entry) => sameMetric(entry.key, key));
        return {
          Id: query.Id,
          Label: key.metricName,
          Timestamps: served === undefined ? [] : [at],
          Values: served === undefined ? [] : [served.sum],
          StatusCode: 'Complete',
        };
      }),
      Messages: [],
    };
  }
}

function sameMetric(a: MetricKey, b: MetricKey): boolean {
  const names = Object.keys(a.dimensions);
  return (
    a.namespace === b.namespace &&
    a.metricName === b.metricName &&
    names.length === Object.keys(b.dimensions).length &&
    names.every((name) => a.dimensions[name] === b.dimensions[name])
  );
}
