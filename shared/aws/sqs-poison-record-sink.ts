import { GetQueueUrlCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { KinesisStreamRecord } from 'aws-lambda';
import { type PoisonRecordSink, poisonRecordEntry } from '../ports/poison-record-sink.js';

/**
 * Poison records to an SQS queue (the function's on-failure queue from `QUEUES`), one message per
 * record with its payload, so an operator can inspect and replay it. `queue` is a queue URL or a name
 * (resolved once with GetQueueUrl, which `grantSendMessages` allows).
 */
export class SqsPoisonRecordSink implements PoisonRecordSink {
  private queueUrl: Promise<string> | undefined;

  constructor(
    private readonly sqs: SQSClient,
    private readonly queue: string,
  ) {}

  async divert(streamName: string, record: KinesisStreamRecord, reason: string): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: await this.url(),
        MessageBody: JSON.stringify(poisonRecordEntry(streamName, record, reason)),
      }),
    );
  }

  private url(): Promise<string> {
    if (/^https?:\/\//.test(this.queue)) return Promise.resolve(this.queue);
    this.queueUrl ??= this.sqs.send(new GetQueueUrlCommand({ QueueName: this.queue })).then(
      (output) => {
        if (output.QueueUrl === undefined) throw new Error(`no URL for queue ${this.queue}`);
        return output.QueueUrl;
      },
      (error: unknown) => {
        this.queueUrl = undefined;
        throw error;
      },
    );
    return this.queueUrl;
  }
}
