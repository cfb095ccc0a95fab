import type { KinesisStreamRecord } from 'aws-lambda';
import type { Logger } from '../../shared/ports/logger.js';
import type { Metrics } from '../../shared/ports/metrics.js';
import type { PoisonRecordSink } from '../../shared/ports/poison-record-sink.js';
import { RecordDecodeError } from '../../shared/records/record-decode-error.js';
import { recordData, recordPosition, recordStreamName } from './kinesis-event-records.js';

export interface PoisonRecordHandling {
  readonly logger: Logger;
  readonly stats: { poisonRecords: number };
  readonly metrics?: Metrics;
  /** The on-failure destination for records that can never be processed (SQS in the cloud). */
  readonly poisonSink?: PoisonRecordSink;
}

/**
 * Decodes one record; a record that can never decode (a poison record) is counted, logged with its
 * sequence number, handed to the on-failure destination and skipped — it never stalls the shard.
 * Any other error is the handler's to fail on; so is a sink that cannot take the record (the batch is
 * retried rather than the record lost).
 */
export async function decodeOrDivert<T>(
  record: KinesisStreamRecord,
  decode: (data: Buffer) => T,
  what: string,
  handling: PoisonRecordHandling,
): Promise<T | undefined> {
  try {
    return decode(recordData(record));
  } catch (error) {
    if (!(error instanceof RecordDecodeError)) throw error;
    handling.stats.poisonRecords += 1;
    handling.metrics?.add('PoisonRecords', 1);
    handling.logger.error(`poison ${what} skipped`, { ...recordPosition(record), reason: error.message });
    await handling.poisonSink?.divert(recordStreamName(record), record, error.message);
    return undefined;
  }
}
