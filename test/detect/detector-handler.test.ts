import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KinesisStreamRecord } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createDetectorHandler,
  type DetectorStats,
  newDetectorStats,
} from '../../pipeline/detect/detector-handler.js';
import { MoveDetector } from '../../pipeline/detect/move-detector.js';
import { WatcherCache } from '../../pipeline/detect/watcher-cache.js';
import { DynamoAlertRepository } from '../../shared/aws/dynamo-alert-repository.js';
import { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import { KinesisAlertPublisher } from '../../shared/aws/kinesis-alert-publisher.js';
import type { Alert } from '../../shared/domain/alert.js';
import type { Watch } from '../../shared/domain/watch.js';
import type { AlertPublisher } from '../../shared/ports/alert-publisher.js';
import type { PoisonRecordSink } from '../../shared/ports/poison-record-sink.js';
import type { WatchRepository } from '../../shared/ports/watch-repository.js';
import { decodeAlertEvent } from '../../shared/records/alert-event-codec.js';
import { encodeTradeRecordAs } from '../../shared/records/trade-record-codec.js';
import {
  kinesisStreamEvent,
  kinesisStreamRecord,
  readStream,
  tradesStreamRecord,
} from '../helpers/kinesis-records.js';
import { alertItemsOf, memoryLogger } from '../helpers/local-pipeline-harness.js';
import { pooledDynamoClient } from '../helpers/pooled-dynamo-client.js';
import { useTestAws } from '../helpers/use-test-aws.js';

const T0 = Date.parse('2024-03-05T10:00:00-05:00');
const MIN = 60_000;

function watch(userKey: string, symbol: string): Watch {
  return { userKey, symbol, thresholdPct: 3, window: '15m', direction: 'both', hours: 'all', createdAt: T0 };
}

/** 100 → 98 → 96.9 over two minutes: one 3.1 % fall, which a 3 % / 15m watch alerts on once. */
function fallingRecords(symbol: string, indexes: readonly [number, number, number] = [0, 1, 2]) {
  return [
    tradesStreamRecord(symbol, [{ symbol, ts: T0, price: 100, size: 100 }], indexes[0]),
    tradesStreamRecord(symbol, [{ symbol, ts: T0 + MIN, price: 98, size: 200 }], indexes[1]),
    tradesStreamRecord(symbol, [{ symbol, ts: T0 + 2 * MIN, price: 96.9, size: 300 }], indexes[2]),
  ] as const;
}

/** A real repository that counts "who watches this symbol" queries. */
function countingWatchRepository(inner: WatchRepository) {
  const queries = new Map<string, number>();
  const repository: Pick<WatchRepository, 'listBySymbol'> = {
    listBySymbol(symbol) {
      queries.set(symbol, (queries.get(symbol) ?? 0) + 1);
      return inner.listBySymbol(symbol);
    },
  };
  return { repository, queries };
}

/** The real publisher, failing its first `failures` calls before anything reaches the stream. */
function publisherFailingFirst(inner: AlertPublisher, failures: number): AlertPublisher {
  let calls = 0;
  return {
    async publish(alerts) {
      calls += 1;
      if (calls <= failures) throw new Error('publisher unavailable');
      await inner.publish(alerts);
    },
  };
}

describe('detector handler on the embedded stack', () => {
  const aws = useTestAws();
  let watches: DynamoWatchRepository;

  beforeAll(async () => {
    watches = new DynamoWatchRepository(aws.clients.dynamo, aws.names.watchesTable);
  });

  function buildHandler(
    options: {
      stats?: DetectorStats;
      detector?: MoveDetector;
      watchers?: { get(symbol: string): Promise<readonly Watch[]> };
      publisher?: AlertPublisher;
      poisonSink?: PoisonRecordSink;
    } = {},
  ) {
    const { logger, lines } = memoryLogger();
    const stats = options.stats ?? newDetectorStats();
    const handler = createDetectorHandler({
      detector: options.detector ?? new MoveDetector(),
      watchers: options.watchers ?? new WatcherCache(watches, 60_000),
      alerts: new DynamoAlertRepository(aws.clients.dynamo, aws.names.alertsTable),
      publisher: options.publisher ?? new KinesisAlertPublisher(aws.clients.kinesis, aws.names.alertsStream),
      logger,
      stats,
      ...(options.poisonSink === undefined ? {} : { poisonSink: options.poisonSink }),
    });
    return { handler, stats, logLines: lines };
  }

  async function alertEventsFor(userKey: string): Promise<Alert[]> {
    const stored = await readStream(aws.clients.kinesis, aws.names.alertsStream);
    return stored
      .filter((record) => record.partitionKey === userKey)
      .map((record) => decodeAlertEvent(record.data));
  }

  it('skips a poison record mid-batch, reports it, and still alerts on the trades around it', async () => {
    const user = 'console:poison';
    await watches.put(watch(user, 'BAC'));
    const [first, second, third] = fallingRecords('BAC', [0, 1, 3]);
    const poison = kinesisStreamRecord('{"v":1,"s":"BAC","t":[[1709650860000,97', {
      index: 2,
      partitionKey: 'BAC',
    });
    const poisoned: { streamName: string; record: KinesisStreamRecord; reason: string }[] = [];
    const { handler, stats, logLines } = buildHandler({
      poisonSink: {
        divert: async (streamName, record, reason) => {
          poisoned.push({ streamName, record, reason });
        },
      },
    });

    const response = await handler(kinesisStreamEvent([first, second, poison, third]));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(stats).toEqual({
      trades: 3,
      poisonRecords: 1,
      alertsCreated: 1,
      alertsAlreadyKnown: 0,
      badTicksDropped: 0,
      failedBatches: 0,
    });
    expect(poisoned).toEqual([
      { streamName: 'stockalert-trades', record: poison, reason: 'record is not JSON' },
    ]);
    expect(logLines.filter((line) => line.message === 'poison trade record skipped')).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        sequenceNumber: poison.kinesis.sequenceNumber,
        eventId: poison.eventID,
        reason: 'record is not JSON',
      }),
    ]);
    const items = await alertItemsOf(aws, user);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ symbol: 'BAC', direction: 'down', fromPrice: 100, toPrice: 96.9 });
    expect((await alertEventsFor(user)).map((alert) => alert.alertId)).toEqual([items[0]?.alertId]);
  });

  it('drops the whole record when one packed trade in it is invalid, and only that record', async () => {
    const user = 'console:halfbad';
    await watches.put(watch(user, 'C'));
    const [first, second, third] = fallingRecords('C', [0, 1, 3]);
    // A valid 95 print packed with a zero price: neither may reach the detector.
    const poison = tradesStreamRecord(
      'C',
      [
        { symbol: 'C', ts: T0 + MIN + 1, price: 95, size: 100 },
        { symbol: 'C', ts: T0 + MIN + 2, price: 0, size: 100 },
      ],
      2,
    );
    const { handler, stats } = buildHandler();

    await handler(kinesisStreamEvent([first, second, poison, third]));

    expect(stats).toMatchObject({ trades: 3, poisonRecords: 1, alertsCreated: 1 });
    // Had the 95 got through, the alert would have fired on it, not on 96.9.
    expect(await alertItemsOf(aws, user)).toEqual([expect.objectContaining({ toPrice: 96.9 })]);
  });

  it('writes one Alerts item and puts one alert event when the same handler gets the batch again', async () => {
    const user = 'console:redelivered';
    await watches.put(watch(user, 'AIG'));
    const batch = kinesisStreamEvent(fallingRecords('AIG'));
    const { handler, stats } = buildHandler();

    await handler(batch);
    await handler(batch);

    // The redelivery decided the same alert again and found it recorded and emitted.
    expect(stats).toEqual({
      trades: 6,
      poisonRecords: 0,
      alertsCreated: 1,
      alertsAlreadyKnown: 1,
      badTicksDropped: 0,
      failedBatches: 0,
    });
    const items = await alertItemsOf(aws, user);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ symbol: 'AIG', direction: 'down', level: 1, emitted: true });
    const events = await alertEventsFor(user);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ alertId: items[0]?.alertId, toPrice: 96.9 });
  });

  it('sends nothing twice when a fresh handler (a new Lambda environment) gets the batch again', async () => {
    const user = 'console:coldstart';
    await watches.put(watch(user, 'IBM'));
    const batch = kinesisStreamEvent(fallingRecords('IBM'));
    const warm = buildHandler();
    const cold = buildHandler();

    await warm.handler(batch);
    await cold.handler(batch);

    expect(warm.stats.alertsCreated).toBe(1);
    expect(cold.stats).toMatchObject({ alertsCreated: 0, alertsAlreadyKnown: 1 });
    expect(await alertItemsOf(aws, user)).toHaveLength(1);
    expect(await alertEventsFor(user)).toHaveLength(1);
  });

  it('emits on redelivery an alert that was recorded before its emission failed, once', async () => {
    const user = 'console:halfway';
    await watches.put(watch(user, 'SPY'));
    const batch = kinesisStreamEvent(fallingRecords('SPY'));
    const realPublisher = new KinesisAlertPublisher(aws.clients.kinesis, aws.names.alertsStream);
    const { handler, stats } = buildHandler({ publisher: publisherFailingFirst(realPublisher, 1) });

    const failed = await handler(batch);
    const afterCrash = await alertItemsOf(aws, user);
    await handler(batch);
    await handler(batch);

    // The whole batch is handed back (from its first record), not thrown: no bisecting, no lost checkpoint.
    expect(failed).toEqual({
      batchItemFailures: [{ itemIdentifier: batch.Records[0]?.kinesis.sequenceNumber }],
    });
    expect(afterCrash).toEqual([expect.objectContaining({ emitted: false })]);
    expect(stats).toMatchObject({ alertsCreated: 1, alertsAlreadyKnown: 2, failedBatches: 1 });
    expect(await alertItemsOf(aws, user)).toEqual([expect.objectContaining({ emitted: true })]);
    expect(await alertEventsFor(user)).toEqual([
      expect.objectContaining({ alertId: afterCrash[0]?.alertId }),
    ]);
  });

  it('records a batch of a thousand alerts without any DynamoDB call timing out while it waits for a socket', async () => {
    // The SDK's connect timeout runs while a request waits for a socket: written all at once, the alerts of a
    // full-speed batch queued past it and the batch failed every retry (bench:e2e's fault run lost it all).
    const pooled = pooledDynamoClient(aws, { maxSockets: 32, connectionTimeoutMs: 500 });
    const users = Array.from({ length: 1_000 }, (_, i) => `console:crowd${i}`);
    const crowd = users.map((user) => watch(user, 'QQQ'));
    const stats = newDetectorStats();
    const handler = createDetectorHandler({
      detector: new MoveDetector(),
      watchers: { get: async (symbol) => (symbol === 'QQQ' ? crowd : []) },
      alerts: new DynamoAlertRepository(DynamoDBDocumentClient.from(pooled), aws.names.alertsTable),
      publisher: new KinesisAlertPublisher(aws.clients.kinesis, aws.names.alertsStream),
      logger: memoryLogger().logger,
      stats,
    });

    try {
      const response = await handler(kinesisStreamEvent(fallingRecords('QQQ')));

      expect(response).toEqual({ batchItemFailures: [] });
      expect(stats).toMatchObject({ alertsCreated: users.length, failedBatches: 0 });
      expect(await alertItemsOf(aws, users[users.length - 1] as string)).toEqual([
        expect.objectContaining({ emitted: true }),
      ]);
    } finally {
      pooled.destroy();
    }
  }, 60_000);

  it('decodes every format the producer writes, and one-trade JSON, in one batch', async () => {
    const user = 'console:formats';
    await watches.put(watch(user, 'WFC'));
    const at = (minute: number, price: number) => ({
      symbol: 'WFC',
      ts: T0 + minute * MIN,
      price,
      size: 100,
    });
    const records = [
      kinesisStreamRecord(encodeTradeRecordAs('binary', 'WFC', [at(0, 100), at(1, 99.4)]), { index: 0 }),
      kinesisStreamRecord(encodeTradeRecordAs('kpl', 'WFC', [at(2, 98.8), at(3, 98.2)]), { index: 1 }),
      kinesisStreamRecord(encodeTradeRecordAs('json', 'WFC', [at(4, 97.6)]), { index: 2 }),
      kinesisStreamRecord(
        JSON.stringify({ symbol: 'WFC', price: 96.95, size: 100, ts: new Date(T0 + 5 * MIN).toISOString() }),
        { index: 3 },
      ),
    ];
    const { handler, stats } = buildHandler();

    await handler(kinesisStreamEvent(records));

    expect(stats).toMatchObject({ trades: 6, poisonRecords: 0, alertsCreated: 1 });
    expect(await alertItemsOf(aws, user)).toEqual([
      expect.objectContaining({ fromPrice: 100, toPrice: 96.95, toTs: T0 + 5 * MIN }),
    ]);
  });

  it('asks for the watchers of each symbol at most once per cache TTL over many batches', async () => {
    const user = 'console:cached';
    await watches.put(watch(user, 'MSFT'));
    const counting = countingWatchRepository(watches);
    let now = T0;
    const cache = new WatcherCache(counting.repository, 60_000, () => now);
    const { handler, stats } = buildHandler({ watchers: cache });
    const symbols = ['MSFT', 'NVDA', 'AAPL'];
    const prices = [100, 99.5, 99, 98.5, 98, 97.5, 97, 96.9, 96.8, 96.7];

    for (const [batch, price] of prices.entries()) {
      const records = symbols.map((symbol, i) =>
        tradesStreamRecord(
          symbol,
          [
            { symbol, ts: T0 + batch * 1_000, price, size: 100 },
            { symbol, ts: T0 + batch * 1_000 + 1, price, size: 100 },
          ],
          batch * symbols.length + i,
        ),
      );
      await handler(kinesisStreamEvent(records));
      now += 5_000;
    }

    expect(Object.fromEntries(counting.queries)).toEqual({ MSFT: 1, NVDA: 1, AAPL: 1 });
    // The cached watchers were the real ones: the watched symbol still alerted.
    expect(stats).toMatchObject({ trades: 60, alertsCreated: 1 });
    expect(await alertItemsOf(aws, user)).toEqual([expect.objectContaining({ symbol: 'MSFT', toPrice: 97 })]);

    now = T0 + 60_000;
    await handler(
      kinesisStreamEvent([
        tradesStreamRecord('MSFT', [{ symbol: 'MSFT', ts: T0 + 20_000, price: 96.7, size: 1 }], 99),
      ]),
    );

    expect(counting.queries.get('MSFT')).toBe(2);
  });
});
