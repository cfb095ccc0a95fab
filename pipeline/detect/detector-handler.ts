import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import type { Alert } from '../../shared/domain/alert.js';
import type { Trade } from '../../shared/domain/trade.js';
import type { Watch } from '../../shared/domain/watch.js';
import type { AlertPublisher } from '../../shared/ports/alert-publisher.js';
import type { AlertRepository } from '../../shared/ports/alert-repository.js';
import type { Logger } from '../../shared/ports/logger.js';
import { RecordDecodeError } from '../../shared/records/record-decode-error.js';
import { decodeTradeRecord } from '../../shared/records/trade-record-codec.js';
import { recordData, recordPosition } from '../kinesis/kinesis-event-records.js';
import type { MoveDetector } from './move-detector.js';

/** Running totals, for progress output and the `--once` summary. */
export interface DetectorStats {
  trades: number;
  poisonRecords: number;
  alertsCreated: number;
  alertsAlreadyKnown: number;
}

export interface DetectorDeps {
  readonly detector: MoveDetector;
  readonly watchers: { get(symbol: string): Promise<readonly Watch[]> };
  readonly alerts: AlertRepository;
  readonly publisher: AlertPublisher;
  readonly logger: Logger;
  readonly stats?: DetectorStats;
  /** The on-failure destination for poison records (the runner's, or an SQS queue in the cloud). */
  readonly onPoisonRecord?: (record: KinesisStreamRecord, reason: string) => Promise<void>;
}

export function newDetectorStats(): DetectorStats {
  return { trades: 0, poisonRecords: 0, alertsCreated: 0, alertsAlreadyKnown: 0 };
}

/**
 * The `trades` stream handler: decode → rolling windows → alerts → Alerts table (conditional put)
 * → `alerts` stream. A redelivered batch computes the same alert ids, finds them recorded and
 * emitted, and sends nothing twice. A poison record is logged with its sequence number and skipped.
 */
export function createDetectorHandler(deps: DetectorDeps) {
  const stats = deps.stats ?? newDetectorStats();
  return async function handleTrades(event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> {
    const trades = await decodeBatch(event.Records, deps, stats);
    const watchersBySymbol = new Map<string, readonly Watch[]>();
    await Promise.all(
      [...new Set(trades.map((trade) => trade.symbol))].map(async (symbol) => {
        watchersBySymbol.set(symbol, await deps.watchers.get(symbol));
      }),
    );
    const decided: Alert[] = [];
    for (const trade of trades) {
      const fired = deps.detector.onTrade(trade, watchersBySymbol.get(trade.symbol) ?? []);
      for (const alert of fired) decided.push(alert);
    }
    stats.trades += trades.length;
    try {
      await persistAndEmit(decided, deps, stats);
    } catch (error) {
      // The windows already moved past this batch; a retry from a warm state would not re-decide
      // these alerts. Forget the state so the retried batch is decided afresh.
      deps.detector.reset();
      throw error;
    }
    return { batchItemFailures: [] };
  };
}

async function decodeBatch(
  records: readonly KinesisStreamRecord[],
  deps: DetectorDeps,
  stats: DetectorStats,
): Promise<Trade[]> {
  const trades: Trade[] = [];
  for (const record of records) {
    try {
      for (const trade of decodeTradeRecord(recordData(record))) trades.push(trade);
    } catch (error) {
      if (!(error instanceof RecordDecodeError)) throw error;
      stats.poisonRecords += 1;
      deps.logger.error('poison trade record skipped', { ...recordPosition(record), reason: error.message });
      await deps.onPoisonRecord?.(record, error.message);
    }
  }
  return trades;
}

async function persistAndEmit(
  decided: readonly Alert[],
  deps: DetectorDeps,
  stats: DetectorStats,
): Promise<void> {
  if (decided.length === 0) return;
  const recorded = await Promise.all(
    decided.map(async (alert) => ({ alert, ...(await deps.alerts.record(alert)) })),
  );
  for (const entry of recorded) {
    if (entry.created) stats.alertsCreated += 1;
    else stats.alertsAlreadyKnown += 1;
  }
  // Emit whatever is not yet known to be on the stream: new alerts, and alerts whose earlier
  // emission crashed half-way. The notifier's delivery claim makes a second event harmless.
  const toEmit = recorded.filter((entry) => !entry.emitted).map((entry) => entry.alert);
  if (toEmit.length === 0) return;
  await deps.publisher.publish(toEmit);
  await Promise.all(toEmit.map((alert) => deps.alerts.markEmitted(alert)));
  for (const alert of toEmit) {
    deps.logger.info('alert emitted', {
      alertId: alert.alertId,
      symbol: alert.symbol,
      window: alert.window,
      direction: alert.direction,
      alertLevel: alert.level,
      movePct: Number(alert.movePct.toFixed(3)),
    });
  }
}
