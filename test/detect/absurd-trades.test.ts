import type { KinesisStreamRecord } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDetectorHandler, newDetectorStats } from '../../pipeline/detect/detector-handler.js';
import { MoveDetector } from '../../pipeline/detect/move-detector.js';
import { WatcherCache } from '../../pipeline/detect/watcher-cache.js';
import { DynamoAlertRepository } from '../../shared/aws/dynamo-alert-repository.js';
import { DynamoQuoteRepository } from '../../shared/aws/dynamo-quote-repository.js';
import { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import { KinesisAlertPublisher } from '../../shared/aws/kinesis-alert-publisher.js';
import type { Trade } from '../../shared/domain/trade.js';
import type { Watch } from '../../shared/domain/watch.js';
import { encodeTradeRecord } from '../../shared/records/trade-record-codec.js';
import { kinesisStreamEvent, kinesisStreamRecord, tradesStreamRecord } from '../helpers/kinesis-records.js';
import { alertItemsOf, memoryLogger } from '../helpers/local-pipeline-harness.js';
import { priceAndSize, TRADE_BOUND_EDGES } from '../helpers/trade-bound-edges.js';
import { useTestAws } from '../helpers/use-test-aws.js';

const T0 = Date.parse('2024-03-05T10:00:00-05:00');
const MIN = 60_000;
const YEAR_9999 = Date.parse('9999-06-01T00:00:00Z');

function watch(userKey: string, symbol: string): Watch {
  return { userKey, symbol, thresholdPct: 3, window: '15m', direction: 'both', hours: 'all', createdAt: T0 };
}

const trade = (symbol: string, minute: number, price: number, size = 100): Trade => ({
  symbol,
  ts: T0 + minute * MIN,
  price,
  size,
});

/** One JSON record, as a third-party producer may write it (the packed formats cannot carry all of these). */
function singleTradeRecord(fields: Record<string, unknown>, index: number): KinesisStreamRecord {
  return kinesisStreamRecord(JSON.stringify(fields), {
    index,
    partitionKey: String(fields.symbol).slice(0, 256),
  });
}

describe('detector handler given absurd but decodable trades', () => {
  const aws = useTestAws();
  let watches: DynamoWatchRepository;

  beforeAll(async () => {
    watches = new DynamoWatchRepository(aws.clients.dynamo, aws.names.watchesTable);
  });

  /** The handler as `npm start` wires it: quotes and minute bars written, a dead-letter destination. */
  function buildHandler() {
    const { logger, lines } = memoryLogger();
    const stats = newDetectorStats();
    const diverted: { record: KinesisStreamRecord; reason: string }[] = [];
    const handler = createDetectorHandler({
      detector: new MoveDetector({ trackQuotes: true }),
      watchers: new WatcherCache(watches, 60_000),
      quotes: new DynamoQuoteRepository(aws.clients.dynamo, aws.names.quotesTable),
      alerts: new DynamoAlertRepository(aws.clients.dynamo, aws.names.alertsTable),
      publisher: new KinesisAlertPublisher(aws.clients.kinesis, aws.names.alertsStream),
      logger,
      stats,
      poisonSink: {
        divert: async (_stream, record, reason) => {
          diverted.push({ record, reason });
        },
      },
    });
    return { handler, stats, diverted, logLines: lines };
  }

  const absurd: {
    name: string;
    record: (symbol: string, index: number) => KinesisStreamRecord;
    reason: RegExp;
  }[] = [
    {
      name: 'a price of 1e308',
      record: (symbol, index) => tradesStreamRecord(symbol, [trade(symbol, 1, 1e308)], index),
      // Refused by the decoder's bounds before the detector's range check sees it.
      reason: /price 1e\+308 is out(side| of bounds)/,
    },
    {
      name: 'a price of 1e-300',
      record: (symbol, index) => tradesStreamRecord(symbol, [trade(symbol, 1, 1e-300)], index),
      reason: /price 1e-300 is out(side| of bounds)/,
    },
    {
      name: 'a time of 1e17',
      record: (symbol, index) => singleTradeRecord({ symbol, price: 50, size: 100, ts: 1e17 }, index),
      reason: /time 100000000000000000 is more than 5 minutes after the record arrived/,
    },
    {
      name: 'a print in the year 9999',
      record: (symbol, index) =>
        singleTradeRecord({ symbol, price: 50, size: 100, ts: new Date(YEAR_9999).toISOString() }, index),
      reason: new RegExp(`time ${YEAR_9999} is more than 5 minutes after`),
    },
    {
      name: 'a 3,000-character symbol',
      record: (_symbol, index) =>
        singleTradeRecord({ symbol: 'X'.repeat(3_000), price: 50, size: 100, ts: T0 + MIN }, index),
      reason: /symbol "X{20}… \(3000 characters\)" is not a ticker/,
    },
  ];

  it.each(absurd.map((item, i) => ({ ...item, i })))(
    'diverts one record with $name and still alerts on the good trades of another symbol in the batch',
    async ({ record, reason, i }) => {
      const user = `console:absurd-${i}`;
      const good = `G${i}`;
      await watches.put(watch(user, good));
      const bad = `B${i}`;
      await watches.put(watch(`console:absurd-bad-${i}`, bad));
      const poison = record(bad, 2);
      const batch = kinesisStreamEvent([
        tradesStreamRecord(good, [trade(good, 0, 100)], 0),
        tradesStreamRecord(bad, [trade(bad, 0, 50)], 1),
        poison,
        tradesStreamRecord(good, [trade(good, 1, 98), trade(good, 2, 96.9)], 3),
      ]);
      const { handler, stats, diverted, logLines } = buildHandler();

      const response = await handler(batch);

      expect(response).toEqual({ batchItemFailures: [] });
      expect(stats).toMatchObject({ trades: 4, poisonRecords: 1, alertsCreated: 1, failedBatches: 0 });
      expect(diverted).toEqual([{ record: poison, reason: expect.stringMatching(reason) }]);
      expect(logLines.filter((line) => line.message === 'poison trade record skipped')).toEqual([
        expect.objectContaining({ sequenceNumber: poison.kinesis.sequenceNumber }),
      ]);
      expect(await alertItemsOf(aws, user)).toEqual([
        expect.objectContaining({ symbol: good, fromPrice: 100, toPrice: 96.9 }),
      ]);
    },
  );

  it.each(TRADE_BOUND_EDGES.map((edge, i) => ({ ...edge, i })))(
    'keeps a record the producer wrote with $bound ($inside) and diverts one just past it ($outside)',
    async (edge) => {
      const symbol = `E${edge.i}`;
      const { handler, stats, diverted } = buildHandler();
      // As the producer writes it: its encoder applies the same shared bounds, so it could not write the other.
      const kept = kinesisStreamRecord(
        encodeTradeRecord(symbol, [{ symbol, ts: T0, ...priceAndSize(edge, edge.inside) }]),
        { index: 0, partitionKey: symbol },
      );
      const past = singleTradeRecord({ symbol, ts: T0 + MIN, ...priceAndSize(edge, edge.outside) }, 1);

      await handler(kinesisStreamEvent([kept, past]));

      expect(stats).toMatchObject({ trades: 1, poisonRecords: 1 });
      expect(diverted).toEqual([
        { record: past, reason: expect.stringMatching(new RegExp(`${edge.field} \\S+ is out of bounds`)) },
      ]);
    },
  );

  it('does not let a year-9999 print of a symbol reset it and swallow its next real alert', async () => {
    const user = 'console:year9999';
    await watches.put(watch(user, 'BAC'));
    const { handler, stats } = buildHandler();
    const future = singleTradeRecord({ symbol: 'BAC', price: 99, size: 100, ts: YEAR_9999 }, 1);

    await handler(
      kinesisStreamEvent([tradesStreamRecord('BAC', [trade('BAC', 0, 100), trade('BAC', 1, 98)], 0), future]),
    );
    // Had 9999 become BAC's "now", these would be a rewind: a fresh BAC without the 100 high, and no alert.
    await handler(kinesisStreamEvent([tradesStreamRecord('BAC', [trade('BAC', 3, 96.9)], 2)]));

    expect(stats).toMatchObject({ trades: 3, poisonRecords: 1, alertsCreated: 1 });
    expect(await alertItemsOf(aws, user)).toEqual([
      expect.objectContaining({ fromPrice: 100, toPrice: 96.9, toTs: T0 + 3 * MIN }),
    ]);
  });

  it('judges a trade time against its record arrival: minutes ahead is dropped, seconds ahead and years behind are kept', async () => {
    const arrival = T0 + 10 * MIN;
    const { handler, stats, diverted } = buildHandler();
    const at = (symbol: string, ts: number, index: number) =>
      kinesisStreamRecord(encodeTradeRecord(symbol, [{ symbol, ts, price: 10, size: 1 }]), {
        index,
        partitionKey: symbol,
        arrivalMs: arrival,
      });
    const aheadByAnHour = at('AHEAD', arrival + 60 * MIN, 0);

    await handler(
      kinesisStreamEvent([
        aheadByAnHour,
        at('SKEW', arrival + 2_000, 1),
        at('REPLAY', Date.parse('2013-10-07T09:30:00-04:00'), 2),
      ]),
    );

    expect(stats).toMatchObject({ trades: 2, poisonRecords: 1 });
    expect(diverted.map((entry) => entry.record)).toEqual([aheadByAnHour]);
  });
});
