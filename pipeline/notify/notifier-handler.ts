import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import type { AlertRepository } from '../../shared/ports/alert-repository.js';
import type { Logger } from '../../shared/ports/logger.js';
import { type Messenger, PermanentDeliveryError } from '../../shared/ports/messenger.js';
import { decodeAlertEvent } from '../../shared/records/alert-event-codec.js';
import { RecordDecodeError } from '../../shared/records/record-decode-error.js';
import { recordData, recordPosition } from '../kinesis/kinesis-event-records.js';
import { composeAlertMessage } from './alert-message.js';

export interface NotifierStats {
  delivered: number;
  duplicates: number;
  failed: number;
  poisonRecords: number;
}

export function newNotifierStats(): NotifierStats {
  return { delivered: 0, duplicates: 0, failed: 0, poisonRecords: 0 };
}

export interface NotifierDeps {
  readonly alerts: AlertRepository;
  readonly messenger: Messenger;
  readonly logger: Logger;
  readonly stats?: NotifierStats;
  readonly onPoisonRecord?: (record: KinesisStreamRecord, reason: string) => Promise<void>;
}

/**
 * The `alerts` stream handler. Each alert is claimed in the Alerts table (pending → sending) before
 * the DM and marked sent after it, so a redelivered event or a racing instance sends nothing twice.
 * A transient send failure gives the claim back and reports the record as a batch item failure,
 * so the event source retries from it; a permanent one is recorded as failed and the stream moves on.
 */
export function createNotifierHandler(deps: NotifierDeps) {
  const stats = deps.stats ?? newNotifierStats();
  return async function handleAlerts(event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> {
    for (const record of event.Records) {
      let alert: ReturnType<typeof decodeAlertEvent>;
      try {
        alert = decodeAlertEvent(recordData(record));
      } catch (error) {
        if (!(error instanceof RecordDecodeError)) throw error;
        stats.poisonRecords += 1;
        deps.logger.error('poison alert event skipped', { ...recordPosition(record), reason: error.message });
        await deps.onPoisonRecord?.(record, error.message);
        continue;
      }
      if (!(await deps.alerts.claimDelivery(alert))) {
        stats.duplicates += 1;
        deps.logger.debug('alert already delivered or in flight', { alertId: alert.alertId });
        continue;
      }
      try {
        await deps.messenger.sendDirect(alert.userKey, composeAlertMessage([alert]));
      } catch (error) {
        if (error instanceof PermanentDeliveryError) {
          stats.failed += 1;
          deps.logger.warn('alert delivery failed permanently', {
            alertId: alert.alertId,
            reason: error.message,
          });
          await deps.alerts.finishDelivery(alert, { status: 'failed', reason: error.message });
          continue;
        }
        deps.logger.warn('alert delivery failed, will retry', {
          alertId: alert.alertId,
          reason: String(error),
        });
        await deps.alerts.releaseDelivery(alert);
        return { batchItemFailures: [{ itemIdentifier: record.kinesis.sequenceNumber }] };
      }
      await deps.alerts.finishDelivery(alert, { status: 'sent' });
      stats.delivered += 1;
      deps.logger.info('alert delivered', { alertId: alert.alertId });
    }
    return { batchItemFailures: [] };
  };
}
