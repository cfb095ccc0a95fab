import { type KinesisClient, PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import type { Alert } from '../domain/alert.js';
import type { AlertPublisher } from '../ports/alert-publisher.js';
import { encodeAlertEvent } from '../records/alert-event-codec.js';

/** PutRecords could not place every alert event after its retries. */
export class AlertPublishError extends Error {
  override readonly name = 'AlertPublishError';
}

/** Puts alert events on the `alerts` stream, partitioned by recipient; retries failed entries. */
export class KinesisAlertPublisher implements AlertPublisher {
  constructor(
    private readonly kinesis: KinesisClient,
    private readonly streamName: string,
    private readonly maxAttempts = 5,
  ) {}

  async publish(alerts: readonly Alert[]): Promise<void> {
    for (let start = 0; start < alerts.length; start += 500) {
      await this.putAll(
        alerts
          .slice(start, start + 500)
          .map((alert) => ({ Data: encodeAlertEvent(alert), PartitionKey: alert.userKey })),
      );
    }
  }

  private async putAll(entries: PutRecordsRequestEntry[]): Promise<void> {
    let pending = entries;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      const result = await this.kinesis.send(
        new PutRecordsCommand({ StreamName: this.streamName, Records: pending }),
      );
      if (!result.FailedRecordCount) return;
      const failed = pending.filter((_, i) => result.Records?.[i]?.ErrorCode !== undefined);
      if (attempt >= this.maxAttempts) {
        const first = result.Records?.find((r) => r.ErrorCode !== undefined);
        throw new AlertPublishError(
          `${failed.length} alert events not accepted by ${this.streamName} after ${attempt} attempts: ${first?.ErrorCode} ${first?.ErrorMessage}`,
        );
      }
      pending = failed;
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
}
