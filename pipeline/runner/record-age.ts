import type { KinesisStreamRecord } from 'aws-lambda';

/**
 * Splits a batch by the mapping's maxRecordAge, as Lambda does: records that arrived on the stream
 * more than `maxAgeSeconds` before `nowMs` are expired. A negative age means no limit.
 */
export function splitByRecordAge(
  records: readonly KinesisStreamRecord[],
  maxAgeSeconds: number,
  nowMs: number,
): { readonly fresh: KinesisStreamRecord[]; readonly expired: KinesisStreamRecord[] } {
  if (maxAgeSeconds < 0) return { fresh: [...records], expired: [] };
  const cutoff = nowMs / 1000 - maxAgeSeconds;
  const fresh: KinesisStreamRecord[] = [];
  const expired: KinesisStreamRecord[] = [];
  for (const record of records) {
    (record.kinesis.approximateArrivalTimestamp < cutoff ? expired : fresh).push(record);
  }
  return { fresh, expired };
}
