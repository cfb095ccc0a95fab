import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoQuoteRepository } from '../../shared/aws/dynamo-quote-repository.js';
import type { MinuteBar, QuoteSnapshot } from '../../shared/ports/quote-store.js';
import { pooledDynamoClient } from '../helpers/pooled-dynamo-client.js';
import { useTestAws } from '../helpers/use-test-aws.js';

const MINUTE = Date.parse('2024-03-05T15:00:00Z');

function bar(symbol: string, minuteIndex: number, close: number): MinuteBar {
  const minute = MINUTE + minuteIndex * 60_000;
  return {
    symbol,
    minute,
    open: close,
    high: close + 1,
    low: close - 1,
    close,
    volume: 100,
    openTs: minute,
    highTs: minute + 10_000,
    lowTs: minute + 20_000,
    closeTs: minute + 59_000,
  };
}

function quote(symbol: string, price: number, previousClose?: number): QuoteSnapshot {
  return {
    symbol,
    price,
    ts: MINUTE,
    day: '2024-03-05',
    open: price,
    high: price,
    low: price,
    volume: 10,
    ...(previousClose === undefined ? {} : { previousClose }),
    openBar: bar(symbol, 0, price),
    levels: { 'console:a|15m|3|down': 1 },
  };
}

describe('DynamoQuoteRepository on the embedded stack', () => {
  const aws = useTestAws();
  let repository: DynamoQuoteRepository;

  beforeAll(async () => {
    repository = new DynamoQuoteRepository(aws.clients.dynamo, aws.names.quotesTable);
  });

  it('answers the last price and the change since the previous close', async () => {
    await repository.saveQuotes([quote('BAC', 33, 30), quote('IBM', 180)]);

    expect(await repository.lastPrice('BAC')).toEqual({ price: 33, dayChangePct: expect.closeTo(10, 9) });
    expect(await repository.lastPrice('IBM')).toEqual({ price: 180 });
    expect(await repository.lastPrice('NOPE')).toBeUndefined();
    expect(await repository.loadQuote('BAC')).toEqual(quote('BAC', 33, 30));
  });

  it('reads back exactly the minute bars of a half-open range, oldest first, across pages', async () => {
    const bars = Array.from({ length: 90 }, (_, i) => bar('SPY', i, 500 + i));
    await repository.saveMinuteBars(bars);
    await repository.saveMinuteBars([bar('SPX', 5, 1)]);

    const read = await repository.minuteBarsBetween('SPY', MINUTE + 10 * 60_000, MINUTE + 70 * 60_000);

    expect(read.map((b) => b.minute)).toEqual(bars.slice(10, 70).map((b) => b.minute));
    expect(read[0]).toEqual(bars[10]);
    expect(await repository.minuteBarsBetween('SPY', MINUTE, MINUTE)).toEqual([]);
  });

  it('saves ten thousand minute bars without a call timing out while it waits for a socket', async () => {
    // The SDK's connect timeout runs while a request waits for a socket: 400 BatchWriteItem calls sent at
    // once queue behind the pool, and without retries (a run whose retry quota is spent) one times out.
    const pooled = pooledDynamoClient(aws, { maxSockets: 4, connectionTimeoutMs: 1_000 });
    try {
      const crowded = new DynamoQuoteRepository(DynamoDBDocumentClient.from(pooled), aws.names.quotesTable);
      const bars = Array.from({ length: 10_000 }, (_, i) =>
        bar(`B${i % 50}`, Math.floor(i / 50), 10 + i / 1000),
      );

      await crowded.saveMinuteBars(bars);

      const read = await repository.minuteBarsBetween('B49', MINUTE, MINUTE + 200 * 60_000);
      expect(read).toHaveLength(200);
      expect(read[199]).toEqual(bars[9_999]);
    } finally {
      pooled.destroy();
    }
  }, 120_000);

  it('gives charts the minute closes between two times', async () => {
    const points = await repository.pricesBetween('SPY', MINUTE + 2 * 60_000, MINUTE + 4 * 60_000 + 59_000);

    expect(points).toEqual([
      { ts: MINUTE + 2 * 60_000 + 59_000, price: 502 },
      { ts: MINUTE + 3 * 60_000 + 59_000, price: 503 },
      { ts: MINUTE + 4 * 60_000 + 59_000, price: 504 },
    ]);
  });
});
