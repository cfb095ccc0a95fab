import { describe, expect, it } from 'vitest';
import { createDetectorHandler, newDetectorStats } from '../../pipeline/detect/detector-handler.js';
import {
  DEFAULT_MAX_UNWATCHED_SYMBOLS,
  IDLE_SYMBOL_MS,
  MoveDetector,
} from '../../pipeline/detect/move-detector.js';
import { WatcherCache } from '../../pipeline/detect/watcher-cache.js';
import { DynamoAlertRepository } from '../../shared/aws/dynamo-alert-repository.js';
import { DynamoQuoteRepository } from '../../shared/aws/dynamo-quote-repository.js';
import { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import { KinesisAlertPublisher } from '../../shared/aws/kinesis-alert-publisher.js';
import type { Trade } from '../../shared/domain/trade.js';
import type { Watch } from '../../shared/domain/watch.js';
import { kinesisStreamEvent, tradesStreamRecord } from '../helpers/kinesis-records.js';
import { alertItemsOf, memoryLogger } from '../helpers/local-pipeline-harness.js';
import { useTestAws } from '../helpers/use-test-aws.js';

const T0 = Date.parse('2024-03-05T10:00:00-05:00');
const MIN = 60_000;

function watch(userKey: string, symbol: string): Watch {
  return { userKey, symbol, thresholdPct: 3, window: '15m', direction: 'both', hours: 'all', createdAt: T0 };
}

function junkSymbol(i: number): string {
  return `J${i.toString(36).toUpperCase()}`;
}

/** Feeds trades as the handler does: a checkpoint on each symbol's first trade of a batch, then a commit. */
function feedBatch(
  detector: MoveDetector,
  trades: readonly Trade[],
  watchersOf: (symbol: string) => Watch[],
): void {
  const seen = new Set<string>();
  const batch = detector.beginBatch();
  for (const trade of trades) {
    if (!seen.has(trade.symbol)) detector.checkpoint(batch, trade.symbol);
    seen.add(trade.symbol);
    detector.onTradeInto(trade, watchersOf(trade.symbol), []);
  }
  detector.commit(batch);
}

describe('detector memory bound', () => {
  it('keeps at most its bound of unwatched symbols after 200,000 junk symbols, and every watched one', () => {
    const detector = new MoveDetector({ trackQuotes: true });
    const watched = [watch('console:bound', 'BAC')];
    const watchersOf = (symbol: string) => (symbol === 'BAC' ? watched : []);
    for (let batch = 0; batch < 2_000; batch += 1) {
      const trades: Trade[] = [{ symbol: 'BAC', price: 10, size: 1, ts: T0 + batch }];
      for (let i = 0; i < 100; i += 1) {
        trades.push({ symbol: junkSymbol(batch * 100 + i), price: 10, size: 1, ts: T0 + batch });
      }
      feedBatch(detector, trades, watchersOf);
      detector.drainQuotes();
    }

    expect(detector.trackedSymbols).toBe(DEFAULT_MAX_UNWATCHED_SYMBOLS + 1);
    expect(detector.evictedSymbols).toBe(200_000 - DEFAULT_MAX_UNWATCHED_SYMBOLS);
    expect(detector.isWarm('BAC')).toBe(true);
    // Least recently traded first: the last junk symbols are kept, the first ones gone.
    expect(detector.isWarm(junkSymbol(199_999))).toBe(true);
    expect(detector.isWarm(junkSymbol(0))).toBe(false);
  });

  it('keeps an old unwatched symbol that keeps trading, and forgets the ones that went quiet', () => {
    const detector = new MoveDetector({ maxUnwatchedSymbols: 3 });
    const none = () => [];
    feedBatch(
      detector,
      ['OLD', 'A', 'B'].map((symbol) => ({ symbol, price: 10, size: 1, ts: T0 })),
      none,
    );
    for (let i = 0; i < 10; i += 1) {
      feedBatch(
        detector,
        [
          { symbol: 'OLD', price: 10, size: 1, ts: T0 + i + 1 },
          { symbol: junkSymbol(i), price: 10, size: 1, ts: T0 + i + 1 },
        ],
        none,
      );
    }

    expect(detector.trackedSymbols).toBe(3);
    expect(['OLD', 'A', 'B', junkSymbol(8), junkSymbol(9)].map((s) => detector.isWarm(s))).toEqual([
      true,
      false,
      false,
      true,
      true,
    ]);
  });

  it('forgets an unwatched symbol idle for longer than the longest window, even under the bound', () => {
    const detector = new MoveDetector();
    const none = () => [];
    feedBatch(detector, [{ symbol: 'IDLE', price: 10, size: 1, ts: T0 }], none);
    feedBatch(detector, [{ symbol: 'BUSY', price: 10, size: 1, ts: T0 + IDLE_SYMBOL_MS }], none);
    expect(detector.isWarm('IDLE')).toBe(true);

    feedBatch(detector, [{ symbol: 'BUSY', price: 10, size: 1, ts: T0 + IDLE_SYMBOL_MS + 1 }], none);

    expect(detector.isWarm('IDLE')).toBe(false);
    expect(detector.trackedSymbols).toBe(1);
  });

  it('does not forget a symbol that a batch of another shard, still running, has checkpointed', () => {
    const detector = new MoveDetector({ maxUnwatchedSymbols: 1 });
    const none = () => [];
    feedBatch(detector, [{ symbol: 'HELD', price: 10, size: 1, ts: T0 }], none);
    const running = detector.beginBatch();
    detector.checkpoint(running, 'HELD');
    detector.onTradeInto({ symbol: 'HELD', price: 10.01, size: 1, ts: T0 + 1 }, [], []);

    // Another shard's batch ends meanwhile, over the bound: its own symbol goes, the held one stays.
    feedBatch(detector, [{ symbol: 'OTHER', price: 10, size: 1, ts: T0 + 1 }], none);
    detector.commit(running);

    expect(detector.isWarm('HELD')).toBe(true);
    expect(detector.isWarm('OTHER')).toBe(false);
    expect(detector.trackedSymbols).toBe(1);
  });

  it('asks again for the watchers of a symbol pushed out of a full watcher cache', async () => {
    const queries: string[] = [];
    const cache = new WatcherCache(
      {
        async listBySymbol(symbol) {
          queries.push(symbol);
          return [];
        },
      },
      60_000,
      () => T0,
      100,
    );
    for (let i = 0; i < 150; i += 1) await cache.get(junkSymbol(i));
    await cache.get(junkSymbol(149));
    await cache.get(junkSymbol(0));

    expect(queries).toHaveLength(151);
    expect(queries.at(-1)).toBe(junkSymbol(0));
  });
});

describe('detector handler with a bounded symbol count, on the embedded stack', () => {
  const aws = useTestAws();

  it('alerts on a symbol that was forgotten, restoring it from the Quotes table when it trades again', async () => {
    const watches = new DynamoWatchRepository(aws.clients.dynamo, aws.names.watchesTable);
    const detector = new MoveDetector({ trackQuotes: true, maxUnwatchedSymbols: 20 });
    const stats = newDetectorStats();
    const handler = createDetectorHandler({
      detector,
      watchers: new WatcherCache(watches, 0),
      quotes: new DynamoQuoteRepository(aws.clients.dynamo, aws.names.quotesTable),
      alerts: new DynamoAlertRepository(aws.clients.dynamo, aws.names.alertsTable),
      publisher: new KinesisAlertPublisher(aws.clients.kinesis, aws.names.alertsStream),
      logger: memoryLogger().logger,
      stats,
    });
    let index = 0;
    const record = (symbol: string, minute: number, price: number) =>
      tradesStreamRecord(symbol, [{ symbol, ts: T0 + minute * MIN, price, size: 100 }], index++);

    // Unwatched BAC sets its high, then 60 junk symbols push it out.
    await handler(kinesisStreamEvent([record('BAC', 0, 100), record('BAC', 1, 99.5)]));
    for (let batch = 0; batch < 3; batch += 1) {
      await handler(
        kinesisStreamEvent(Array.from({ length: 20 }, (_, i) => record(junkSymbol(batch * 20 + i), 2, 10))),
      );
    }
    expect(detector.isWarm('BAC')).toBe(false);
    expect(detector.trackedSymbols).toBe(20);

    // Someone watches BAC now; its fall from the 100 high (two minutes before) still alerts.
    await watches.put(watch('console:evicted', 'BAC'));
    await handler(kinesisStreamEvent([record('BAC', 3, 98), record('BAC', 4, 96.9)]));

    expect(await alertItemsOf(aws, 'console:evicted')).toEqual([
      expect.objectContaining({ symbol: 'BAC', fromPrice: 100, toPrice: 96.9 }),
    ]);
  });
});
