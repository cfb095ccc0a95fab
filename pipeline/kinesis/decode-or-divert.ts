import type { KinesisStreamRecord } from 'aws-lambda';
import type { Logger } from '../../shared/ports/logger.js';
import { RecordDecodeError } from '../../shared/records/record-decode-error.js';
import { recordData, recordPosition } from './kinesis-event-records.js';

export interface PoisonRecordHandling {
  readonly logger: Logger;
  readonly stats: { poisonRecords: number };
  /** The on-failure destination for records that can never be processed. */
  readonly onPoisonRecord?: (record: KinesisStreamRecord, reason: string) => Promise<void>;
}

/**
 * Decodes one record; a record that can never decode (a poison record) is counted, logged with its
 * sequence number, handed to the on-failure destination and skipped — it never stalls the shard.
 * Any other error is the handler's to fail on.
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
    handling.logger.error(`poison ${what} skipped`, { ...recordPosition(record), reason: error.message });
    await handling.onPoisonRecord?.(record, error.message);
    return undefined;
  }
}
