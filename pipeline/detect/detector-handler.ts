import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { forEachLimited } from '../../shared/async/for-each-limited.js';
import type { Alert } from '../../shared/domain/alert.js';
import type { Trade } from '../../shared/domain/trade.js';
import type { Watch } from '../../shared/domain/watch.js';
import type { AlertPublisher } from '../../shared/ports/alert-publisher.js';
import type { AlertRepository, RecordedAlert } from '../../shared/ports/alert-repository.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { Metrics } from '../../shared/ports/metrics.js';
import type { PoisonRecordSink } from '../../shared/ports/poison-record-sink.js';
import type { QuoteStore } from '../../shared/ports/quote-store.js';
import { decodeTradeRecord } from '../../shared/records/trade-record-codec.js';
import { decodeOrDivert } from '../kinesis/decode-or-divert.js';
import { recordPosition } from '../kinesis/kinesis-event-records.js';
import type { BatchUndo } from './batch-undo.js';
import type { CachedWatchers, MoveDetector } from './move-detector.js';
import { loadColdState } from './restore-cold-symbols.js';
import { arrivalMs, tradesInBounds } from './trade-bounds.js';

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
  readonly watchers: {
    get(symbol: string): Promise<readonly Watch[]>;
    /** A fresh cached answer, without waiting (WatcherCache has it); lets a warm symbol skip an await. */
    peek?(symbol: string): readonly Watch[] | undefined;
    /** The same by the entry kept on a symbol's state (WatcherCache has it): no lookup by symbol. */
    entryOf?: CachedWatchers['entryOf'];
    peekEntry?: CachedWatchers['peekEntry'];
  };
  readonly alerts: Pick<AlertRepository, 'record' | 'markEmitted'>;
  readonly publisher: AlertPublisher;
  readonly logger: Logger;
  /** The Quotes table: quotes and minute bars are written here, and cold symbols restored from it. */
  readonly quotes?: QuoteStore;
  readonly stats?: DetectorStats;
  /** The on-failure destination for poison records (a dead-letter file locally, an SQS queue in the cloud). */
  readonly poisonSink?: PoisonRecordSink;
  /** Records, trades, poison records and new alerts, per invocation (EMF in Lambda). */
  readonly metrics?: Metrics;
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
    const batch = new BatchContext(deps);
    try {
      const decided: Alert[] = [];
      const droppedBefore = deps.detector.droppedTicks;
      let trades = 0;
      // Record by record, so a batch's trades never pile up in memory: a 10,000-record batch can hold millions.
      for (const record of event.Records) {
        const decoded = await decodeRecord(record, deps, stats);
        for (const trade of decoded) {
          const watchers =
            batch.watchersOf(trade.symbol) ?? batch.prepareWarm(trade) ?? (await batch.prepare(trade));
          deps.detector.onTradeInto(trade, watchers, decided);
        }
        trades += decoded.length;
      }
      const { created, marked } = await persistAndEmit(decided, deps, stats);
      if (deps.quotes) {
        const { quotes, bars } = deps.detector.drainQuotes();
        await Promise.all([deps.quotes.saveMinuteBars(bars), deps.quotes.saveQuotes(quotes)]);
      }
      await marked;
      deps.detector.commit(batch.undo);
      stats.trades += trades;
      deps.metrics?.add('Records', event.Records.length);
      deps.metrics?.add('Trades', trades);
      deps.metrics?.add('Alerts', created);
      stats.badTicksDropped += deps.detector.droppedTicks - droppedBefore;
      return { batchItemFailures: [] };
    } catch (error) {
      deps.detector.rollback(batch.undo);
      stats.failedBatches += 1;
      const first = event.Records[0] as KinesisStreamRecord;
      deps.logger.error('trade batch failed, handed back for a retry', {
        ...recordPosition(first),
        records: event.Records.length,
        error,
      });
      return { batchItemFailures: [{ itemIdentifier: first.kinesis.sequenceNumber }] };
    }
  };
}

/**
 * The symbols of one batch: each is checkpointed before the batch first touches it, its watchers come
 * from the cache, and a symbol this process has not seen is restored from the Quotes table first.
 */
class BatchContext {
  /** What this batch changed in the detector, to keep (commit) or undo (rollback). */
  readonly undo: BatchUndo;
  private readonly watchers = new Map<string, readonly Watch[]>();

  constructor(private readonly deps: DetectorDeps) {
    this.undo = deps.detector.beginBatch();
  }

  watchersOf(symbol: string): readonly Watch[] | undefined {
    return this.watchers.get(symbol);
  }

  /** First trade of `trade.symbol` in this batch, when nothing has to be waited for; else undefined. */
  prepareWarm(trade: Trade): readonly Watch[] | undefined {
    const { detector, quotes, watchers } = this.deps;
    const symbol = trade.symbol;
    let cached: readonly Watch[] | undefined;
    if (quotes && watchers.entryOf && watchers.peekEntry) {
      // A cold symbol must be restored from the Quotes table first (prepare); a warm one is saved here.
      cached = detector.checkpointWarm(this.undo, symbol, watchers as CachedWatchers);
      if (cached === undefined) return undefined;
    } else {
      cached = watchers.peek?.(symbol);
      if (cached === undefined) return undefined;
      if (quotes && !detector.isWarm(symbol)) return undefined;
      detector.checkpoint(this.undo, symbol);
    }
    this.watchers.set(symbol, cached);
    return cached;
  }

  /** First trade of `trade.symbol` in this batch. */
  async prepare(trade: Trade): Promise<readonly Watch[]> {
    const { detector, quotes } = this.deps;
    const symbol = trade.symbol;
    const [watchers, cold] = await Promise.all([
      this.deps.watchers.get(symbol),
      quotes && !detector.isWarm(symbol) ? loadColdState(quotes, symbol) : undefined,
    ]);
    detector.checkpoint(this.undo, symbol);
    if (cold?.snapshot && detector.restore(symbol, cold.snapshot, cold.bars, trade.ts)) {
      this.deps.logger.info('symbol restored after a cold start', {
        symbol,
        minuteBars: cold.bars.length,
        quoteTs: cold.snapshot.ts,
      });
    }
    this.watchers.set(symbol, watchers);
    return watchers;
  }
}

async function decodeRecord(
  record: KinesisStreamRecord,
  deps: DetectorDeps,
  stats: DetectorStats,
): Promise<Trade[]> {
  const handling = {
    logger: deps.logger,
    stats,
    ...(deps.metrics && { metrics: deps.metrics }),
    ...(deps.poisonSink && { poisonSink: deps.poisonSink }),
  };
  const arrived = arrivalMs(record);
  const decode = (data: Buffer) => tradesInBounds(decodeTradeRecord(data), arrived);
  return (await decodeOrDivert(record, decode, 'trade record', handling)) ?? [];
}

/**
 * Alert writes in flight at once. A full-speed replay packs a shard's day into one batch of thousands of
 * alerts; all written at once, they queued behind the SDK client's 50 sockets, and the SDK's 3 s connect
 * timeout runs while a request waits for a socket: on a redelivered batch (a conditional put and a get per
 * alert) every attempt failed with TimeoutError and the whole batch went to the on-failure destination
 * (bench:e2e's fault run, docs/architecture.md "System proof"). Below the socket pool, nothing waits there.
 */
const ALERT_WRITES_IN_FLIGHT = 32;

/**
 * Returns how many alerts were recorded for the first time, and the marking of the emitted ones, which
 * runs beside the quotes' save (a round trip less per batch with alerts): a crash before a mark lands
 * only makes a redelivery emit the alert again, which the notifier's claim makes harmless.
 */
async function persistAndEmit(
  decided: readonly Alert[],
  deps: DetectorDeps,
  stats: DetectorStats,
): Promise<{ created: number; marked: Promise<void> }> {
  const none = Promise.resolve();
  if (decided.length === 0) return { created: 0, marked: none };
  // In decision order: the events go on the stream in it.
  const outcomes = new Map<Alert, RecordedAlert>();
  await forEachLimited(decided, ALERT_WRITES_IN_FLIGHT, async (alert) => {
    outcomes.set(alert, await deps.alerts.record(alert));
  });
  const recorded = decided.map((alert) => ({ alert, ...(outcomes.get(alert) as RecordedAlert) }));
  let created = 0;
  for (const entry of recorded) {
    if (entry.created) created += 1;
    else stats.alertsAlreadyKnown += 1;
  }
  stats.alertsCreated += created;
  // Emit whatever is not yet known to be on the stream: new alerts, and alerts whose earlier
  // emission crashed half-way. The notifier's delivery claim makes a second event harmless.
  const toEmit = recorded.filter((entry) => !entry.emitted).map((entry) => entry.alert);
  if (toEmit.length === 0) return { created, marked: none };
  await deps.publisher.publish(toEmit);
  const marked = forEachLimited(toEmit, ALERT_WRITES_IN_FLIGHT, (alert) => deps.alerts.markEmitted(alert));
  // Awaited by the handler after the quotes' save; a failure meanwhile must not go unhandled.
  marked.catch(() => undefined);
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
  return { created, marked };
}
