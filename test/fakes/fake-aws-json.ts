import { createHash, randomUUID } from 'node:crypto';
import { FakeHttpServer, type FakeRequest, type FakeResponse } from './fake-http-server.js';

/** A message an SQS queue received. */
export interface QueuedMessage {
  readonly queueName: string;
  readonly body: string;
}

/**
 * The two AWS services the embedded stack lacks, as far as the Lambdas use them, over the real SDK
 * wire protocol (AWS JSON: `X-Amz-Target` + JSON body): SQS `GetQueueUrl` / `SendMessage` (the
 * on-failure queues) and Secrets Manager `GetSecretValue` (platform tokens). Point a client at
 * `url` (`AWS_ENDPOINT_URL_SQS`, `AWS_ENDPOINT_URL_SECRETS_MANAGER`).
 */
export class FakeAwsJson {
  readonly messages: QueuedMessage[] = [];
  readonly secretReads: string[] = [];
  private readonly secrets = new Map<string, string>();

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
      default:
        return { status: 400, body: { __type: 'UnknownOperationException', message: `no ${target}` } };
    }
  }
}
