import type { KinesisStreamBatchResponse, KinesisStreamRecord } from 'aws-lambda';

/**
 * Where a batch must resume after the handler answered, as Lambda reads ReportBatchItemFailures:
 * `undefined` when the batch succeeded, else the index of the lowest failed sequence number.
 * An identifier that is empty or not in the batch fails the whole batch (index 0).
 */
export function firstFailedIndex(
  records: readonly KinesisStreamRecord[],
  // biome-ignore lint/suspicious/noConfusingVoidType: whatever a Lambda handler may return.
  response: KinesisStreamBatchResponse | undefined | void,
): number | undefined {
  const failures = response?.batchItemFailures ?? [];
  if (failures.length === 0) return undefined;
  let lowest: number | undefined;
  for (const failure of failures) {
    const index = records.findIndex((record) => record.kinesis.sequenceNumber === failure.itemIdentifier);
    if (index < 0) return 0;
    lowest = lowest === undefined ? index : Math.min(lowest, index);
  }
  return lowest;
}
