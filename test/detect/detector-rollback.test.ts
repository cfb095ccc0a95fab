import type { KinesisStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../pipeline/demo/seeded-random.js';
import { createDetectorHandler, newDetectorStats } from '../../pipeline/detect/detector-handler.js';
import { MoveDetector } from '../../pipeline/detect/move-detector.js';
import { WatcherCache } from '../../pipeline/detect/watcher-cache.js';
import { DynamoAlertRepository } from '../../shared/aws/dynamo-alert-repository.js';
import { DynamoQuoteRepository } from '../../shared/aws/dynamo-quote-repository.js';
import { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import { KinesisAlertPublisher } from '../../shared/aws/kinesis-alert-publisher.js';
import type { Trade } from '../../shared/domain/trade.js';
import type { Watch } from '../../shared/domain/watch.js';
import type { WindowName } from '../../shared/domain/window.js';
import type { AlertRepository } from '../../shared/ports/alert-repository.js';
import type { QuoteStore } from '../../shared/ports/quote-store.js';
import { encodeTradeRecordAs } from '../../shared/records/trade-record-codec.js';
import { kinesisStreamEvent, kinesisStreamRecord } from '../helpers/kinesis-records.js';
import { memoryLogger } from '../helpers/local-pipeline-harness.js';
import { useTestAws } from '../helpers/use-test-aws.js';

const T0 = Date.parse('2024-03-05T10:00:00-05:00');
const SYMBOLS = ['AAA', 'BBB', 'CCC', 'DDD'] as const;
const BATCHES = 30;
/** The batch whose first attempt fails and where AAA rewinds (a replay restarted) and DDD first trades. */
const REWIND_BATCH = 12;

/**
 * 30 batches of binary records over four symbols: a random walk in 0.4 % steps with a 2.5 % jump now and
 * then (so the bad-tick filter holds prints across batches), watches from 0.5 % on 1m to 2 % on 1h, so
 * alerts fire, levels climb and machines re-arm all through. AAA rewinds 20 minutes in batch 12.
 */
function scenario(): KinesisStreamEvent[] {
  const random = seededRandom(1_013);
  const prices = new Map<string, number>(SYMBOLS.map((symbol) => [symbol, 50]));
  const clocks = new Map<string, number>(SYMBOLS.map((symbol) => [symbol, T0]));
  const events: KinesisStreamEvent[] = [];
  let index = 0;
  for (let batch = 0; batch < BATCHES; batch += 1) {
    const records = [];
    if (batch === REWIND_BATCH) clocks.set('AAA', (clocks.get('AAA') as number) - 20 * 60_000);
    for (const symbol of SYMBOLS) {
      if (symbol === 'DDD' && batch < REWIND_BATCH) continue;
      for (let r = 0; r < 1 + Math.floor(random() * 3); r += 1) {
        const trades: Trade[] = [];
        for (let t = 0; t < 1 + Math.floor(random() * 4); t += 1) {
          const jump = random() < 0.08 ? (random() < 0.5 ? -0.025 : 0.025) : (random() - 0.5) * 0.008;
          const price = Math.round((prices.get(symbol) as number) * (1 + jump) * 100) / 100;
          const ts = (clocks.get(symbol) as number) + 1 + Math.floor(random() * 20_000);
          prices.set(symbol, price);
          clocks.set(symbol, ts);
          trades.push({ symbol, price, size: 100, ts });
        }
        records.push(
          kinesisStreamRecord(encodeTradeRecordAs('binary', symbol, trades), { index, partitionKey: symbol }),
        );
        index += 1;
      }
    }
    events.push(kinesisStreamEvent(records));
  }
  return events;
}

function watchesOf(userPrefix: string): Watch[] {
  const grid: [WindowName, number][] = [
    ['1m', 0.5],
    ['5m', 1],
    ['15m', 1.5],
    ['1h', 2],
  ];
  return SYMBOLS.flatMap((symbol) =>
    grid.map(([window, thresholdPct], i) => ({
      userKey: `${userPrefix}:${i}`,
      symbol,
      thresholdPct,
      window,
      direction: 'both' as const,
      hours: i === 2 ? ('regular' as const) : ('all' as const),
      createdAt: T0,
    })),
  );
}

/** The real Alerts table, recording the alert ids each attempt decided, in order. */
function recordingAlerts(inner: AlertRepository) {
  let attempt: string[] = [];
  const alerts: Pick<AlertRepository, 'record' | 'markEmitted'> = {
    record(alert) {
      attempt.push(alert.alertId);
      return inner.record(alert);
    },
    markEmitted: (alert) => inner.markEmitted(alert),
  };
  return {
    alerts,
    takeAttempt() {
      const taken = attempt;
      attempt = [];
      return taken;
    },
  };
}

/** The real Quotes table, failing the quote write on the first attempt of the chosen batches. */
function quotesFailingAt(inner: QuoteStore, failing: ReadonlySet<number>) {
  let batch = 0;
  let failed = false;
  const store: QuoteStore = {
    saveQuotes: async (quotes) => {
      if (failing.has(batch) && !failed) {
        failed = true;
        throw new Error('Quotes table unavailable');
      }
      await inner.saveQuotes(quotes);
    },
    saveMinuteBars: (bars) => inner.saveMinuteBars(bars),
    loadQuote: (symbol) => inner.loadQuote(symbol),
    minuteBarsBetween: (symbol, from, to) => inner.minuteBarsBetween(symbol, from, to),
  };
  return {
    store,
    nextBatch() {
      batch += 1;
      failed = false;
    },
  };
}

describe('interleaved batches of two shards', () => {
  it('undoes the failed one and keeps the other, which committed while the failed one was running', () => {
    const w = (symbol: string): Watch[] => [
      { userKey: 'u', symbol, thresholdPct: 1, window: '5m', direction: 'both', hours: 'all', createdAt: T0 },
    ];
    const walk = (symbol: string, from: number, prices: number[]): Trade[] =>
      prices.map((price, i) => ({ symbol, price, size: 1, ts: T0 + (from + i) * 10_000 }));
    const run = (detector: MoveDetector, trades: Trade[]) =>
      trades.flatMap((trade) => detector.onTrade(trade, w(trade.symbol)).map((alert) => alert.alertId));
    const history = { A: walk('A', 0, [100, 101, 102]), B: walk('B', 0, [50, 50.5, 51]) };
    const failedA = walk('A', 3, [99, 98, 103]);
    const committedB = walk('B', 3, [49, 52, 50]);
    const later = { A: walk('A', 6, [100.5, 99.4, 101.8]), B: walk('B', 6, [50.6, 49.8, 51.2]) };

    const detector = new MoveDetector({ tickFilter: false });
    run(detector, [...history.A, ...history.B]);
    const shardA = detector.beginBatch();
    const shardB = detector.beginBatch();
    detector.checkpoint(shardA, 'A');
    detector.checkpoint(shardB, 'B');
    run(detector, failedA.slice(0, 2));
    run(detector, committedB);
    run(detector, failedA.slice(2));
    detector.commit(shardB);
    detector.rollback(shardA);

    // A is as if its batch never ran; B keeps its batch.
    const reference = new MoveDetector({ tickFilter: false });
    run(reference, [...history.A, ...history.B, ...committedB]);
    expect(run(detector, [...later.A, ...later.B])).toEqual(run(reference, [...later.A, ...later.B]));
    expect(run(reference, [])).toEqual([]);
  });
});

describe('detector state on a failed write', () => {
  const aws = useTestAws();

  /** Runs every batch, retrying a failed one at once; per batch, the ids each attempt decided. */
  async function run(userPrefix: string, failing: ReadonlySet<number>) {
    const watches = new DynamoWatchRepository(aws.clients.dynamo, aws.names.watchesTable);
    for (const watch of watchesOf(userPrefix)) await watches.put(watch);
    const recording = recordingAlerts(new DynamoAlertRepository(aws.clients.dynamo, aws.names.alertsTable));
    const quotes = quotesFailingAt(
      new DynamoQuoteRepository(aws.clients.dynamo, aws.names.quotesTable),
      failing,
    );
    const stats = newDetectorStats();
    const handler = createDetectorHandler({
      detector: new MoveDetector({ trackQuotes: true }),
      watchers: new WatcherCache(watches, 60_000),
      quotes: quotes.store,
      alerts: recording.alerts,
      publisher: new KinesisAlertPublisher(aws.clients.kinesis, aws.names.alertsStream),
      logger: memoryLogger().logger,
      stats,
    });
    const attempts: string[][][] = [];
    for (const event of scenario()) {
      const perAttempt: string[][] = [];
      let response = await handler(event);
      perAttempt.push(recording.takeAttempt());
      while (response.batchItemFailures.length > 0) {
        response = await handler(event);
        perAttempt.push(recording.takeAttempt());
      }
      attempts.push(perAttempt);
      quotes.nextBatch();
    }
    return { attempts, stats };
  }

  it('decides exactly the same alerts on the retry of a failed batch, and afterwards, as a run that never failed', async () => {
    const failing = new Set([1, 4, 5, 9, REWIND_BATCH, 20, 29]);
    const clean = await run('console:clean', new Set());
    const retried = await run('console:clean', failing);

    expect(retried.stats.failedBatches).toBe(failing.size);
    retried.attempts.forEach((perAttempt, batch) => {
      // Each attempt of a batch decided the very alerts the uninterrupted run decided there.
      expect(perAttempt).toHaveLength(failing.has(batch) ? 2 : 1);
      for (const attempt of perAttempt) expect(attempt, `batch ${batch}`).toEqual(clean.attempts[batch]?.[0]);
    });
    // A scenario where nothing alerts, or nothing fails where alerts are decided, would prove nothing.
    const decided = clean.attempts.flat(2);
    expect(decided.length).toBeGreaterThan(20);
    expect(
      [...failing].filter((batch) => (clean.attempts[batch]?.[0]?.length ?? 0) > 0).length,
    ).toBeGreaterThan(2);
  });
});
