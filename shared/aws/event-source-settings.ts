/**
 * The event source mapping settings of each stream consumer. The local runner applies them,
 * and the CDK app gives the same values to the real Lambda event source mappings.
 */
export interface EventSourceSettings {
  /** Records per batch (Lambda: 1–10,000). */
  readonly batchSize: number;
  /** Wait up to this long to fill a batch (Lambda: 0–300 s). */
  readonly maxBatchingWindowSeconds: number;
  /** On a function error, split the batch in two and retry each half. */
  readonly bisectBatchOnError: boolean;
  /** Retries after the first attempt; -1 retries until the record expires. */
  readonly retryAttempts: number;
  /** Honour `batchItemFailures` in the handler's response (ReportBatchItemFailures). */
  readonly reportBatchItemFailures: boolean;
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
}

export const DETECTOR_EVENT_SOURCE: EventSourceSettings = {
  batchSize: 100,
  maxBatchingWindowSeconds: 0,
  bisectBatchOnError: true,
  retryAttempts: 3,
  reportBatchItemFailures: true,
  startingPosition: 'TRIM_HORIZON',
};

export const NOTIFIER_EVENT_SOURCE: EventSourceSettings = {
  batchSize: 100,
  maxBatchingWindowSeconds: 0,
  bisectBatchOnError: true,
  // Enough back-off (about 50 s in all) to outlast a crashed attempt's 15 s delivery claim.
  retryAttempts: 8,
  reportBatchItemFailures: true,
  startingPosition: 'TRIM_HORIZON',
};
