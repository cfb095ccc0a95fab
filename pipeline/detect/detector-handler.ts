import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import type { Alert } from '../../shared/domain/alert.js';
import type { Trade } from '../../shared/domain/trade.js';
import type { Watch } from '../../shared/domain/watch.js';
import type { AlertPublisher } from '../../shared/ports/alert-publisher.js';
import type { AlertRepository } from '../../shared/ports/alert-repository.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { QuoteStore } from '../../shared/ports/quote-store.js';
import { RecordDecodeError } from '../../shared/records/record-decode-error.js';
import { decodeTradeRecord } from '../../shared/records/trade-record-codec.js';
import { recordData, recordPosition } from '../kinesis/kinesis-event-records.js';
import type { MoveDetector } from './move-detector.js';
import { restoreColdSymbols } from './restore-cold-symbols.js';

/** Running totals, for progress output and the `--once` summary. */
export interface DetectorStats {
  trades: number;
  poisonRecords: number;
  alertsCreated: number;
  alertsAlreadyKnown: number;
  /** Prints the bad-tick filter dropped. */
  badTicksDropped: number;
  /** Batches handed back for a retry because alerts, quotes or bars could not be written. */
  failedBatches: number;
}

export interface DetectorDeps {
  readonly detector: MoveDetector;
  readonly watchers: { get(symbol: string): Promise<readonly Watch[]> };
  readonly alerts: AlertRepository;
  readonly publisher: AlertPublisher;
  readonly logger: Logger;
  /** The Quotes table: quotes and minute bars are written here, and cold symbols restored from it. */
  readonly quotes?: QuoteStore;
  readonly stats?: DetectorStats;
  /** The on-failure destination for poison records (the runner's, or an SQS queue in the cloud). */
  readonly onPoisonRecord?: (record: KinesisStreamRecord, reason: string) => Promise<void>;
}

export function newDetectorStats(): DetectorStats {
  return {
    trades: 0,
    poisonRecords: 0,
    alertsCreated: 0,
    alertsAlreadyKnown: 0,
    badTicksDropped: 0,
    failedBatches: 0,
  };
}

/**
 * The `trades` stream handler: decode → (restore cold symbols) → bad-tick filter and rolling windows →
 * alerts → Alerts table (conditional put) → `alerts` stream → quotes and closed minute bars.
 * A redelivered batch computes the same alert ids, finds them recorded and emitted, and sends nothing
 * twice. A poison record is logged with its sequence number, sent to the on-failure destination and
 * skipped. When anything cannot be written, the detector goes back to its state before the batch and the
 * whole batch is reported in `batchItemFailures`, so the retry is decided exactly as this attempt was.
 */
export function createDetectorHandler(deps: DetectorDeps) {
  const stats = deps.stats ?? newDetectorStats();
  return async function handleTrades(event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> {
    const trades = await decodeBatch(event.Records, deps, stats);
    if (trades.length === 0) return { batchItemFailures: [] };
    const symbols = [...new Set(trades.map((trade) => trade.symbol))];
    const watchersBySymbol = new Map<string, readonly Watch[]>();
    const checkpoint = deps.detector.checkpoint(symbols);
    try {
      await Promise.all(
        symbols.map(async (symbol) => {
          watchersBySymbol.set(symbol, await deps.watchers.get(symbol));
        }),
      );
      if (deps.quotes) await restoreColdSymbols(deps.detector, deps.quotes, trades, deps.logger);
      const decided: Alert[] = [];
      const droppedBefore = deps.detector.droppedTicks;
      for (const trade of trades) {
        deps.detector.onTradeInto(trade, watchersBySymbol.get(trade.symbol) ?? [], decided);
      }
      await persistAndEmit(decided, deps, stats);
      if (deps.quotes) {
        const { quotes, bars } = deps.detector.drainQuotes();
        await Promise.all([deps.quotes.saveMinuteBars(bars), deps.quotes.saveQuotes(quotes)]);
      }
      stats.trades += trades.length;
      stats.badTicksDropped += deps.detector.droppedTicks - droppedBefore;
      return { batchItemFailures: [] };
    } catch (error) {
      deps.detector.rollback(checkpoint);
      stats.failedBatches += 1;
      const first = event.Records[0] as KinesisStreamRecord;
      deps.logger.error('trade batch failed, handed back for a retry', {
        ...recordPosition(first),
        records: event.Records.length,
        error: error instanceof Error ? error.message : String(error),
      });
      return { batchItemFailures: [{ itemIdentifier: first.kinesis.sequenceNumber }] };
    }
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
