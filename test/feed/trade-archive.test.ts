import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveKey } from '../../pipeline/feed/trade-archive.js';
import { produceTrades } from '../../pipeline/producer/produce-trades.js';
import { DynamoWatchRepository } from '../../shared/aws/dynamo-watch-repository.js';
import { FakeAlpaca } from '../fakes/fake-alpaca.js';
import { waitUntil } from '../fakes/wait.js';
import { aScriptTrade, aWatch, connectorOn, streamedTrades } from '../helpers/feed.js';
import { memoryLogger } from '../helpers/local-pipeline-harness.js';
import { useTestAws } from '../helpers/use-test-aws.js';
import { createStream, readTrades } from '../producer/stream-helpers.js';

const aws = useTestAws();
let fake: FakeAlpaca;

beforeAll(async () => {
  fake = await FakeAlpaca.start();
  const watches = new DynamoWatchRepository(aws.clients.dynamo, aws.names.watchesTable);
  await watches.put(aWatch({ symbol: 'BAC' }));
  await watches.put(aWatch({ symbol: 'IBM' }));
});

afterAll(async () => {
  await fake.stop();
});

describe('the hourly trade archive', () => {
  it('names objects archive/trades/YYYY/MM/DD/HH.csv.gz by the UTC hour', () => {
    expect(archiveKey(Date.parse('2024-03-05T14:59:59.999Z'))).toBe('archive/trades/2024/03/05/14.csv.gz');
  });

  it('replays through produce to the same trades the feed put on the stream', async () => {
    const { connector } = await connectorOn(aws, fake, { archive: true });
    await connector.start();
    await waitUntil(
      () => (fake.subscribedTrades().join() === 'BAC,IBM' ? true : undefined),
      'the subscription',
    );
    const t0 = Date.parse('2024-03-05T14:59:58.500Z');
    const script = Array.from({ length: 60 }, (_, i) =>
      aScriptTrade({
        symbol: i % 3 === 0 ? 'IBM' : 'BAC',
        id: i + 1,
        ts: t0 + i * 50,
        price: 30 + (i % 7) / 100,
        size: 100 + i,
      }),
    );
    fake.printTrades(script);
    await waitUntil(() => (connector.snapshot().tradesWritten === 60 ? true : undefined), 'sixty trades');
    await connector.stop();

    const listed = await aws.clients.s3.send(
      new ListObjectsV2Command({ Bucket: aws.names.bucket, Prefix: 'archive/trades/2024/03/05/' }),
    );
    expect(listed.Contents?.map((object) => object.Key)).toEqual([
      'archive/trades/2024/03/05/14.csv.gz',
      'archive/trades/2024/03/05/15.csv.gz',
    ]);
    const replayStream = await createStream(aws, 2);
    const summary = await produceTrades({
      s3: aws.clients.s3,
      kinesis: aws.clients.kinesis,
      bucket: aws.names.bucket,
      key: 'archive/trades/2024/03/05/',
      streamName: replayStream,
      speed: 'max',
      logger: memoryLogger().logger,
      writeRejects: false,
    });
    expect(summary.rejected).toBe(0);
    const replayed = await readTrades(aws, replayStream);
    for (const symbol of ['BAC', 'IBM']) {
      const live = (await streamedTrades(aws, symbol)).map((trade) => [trade.ts, trade.price, trade.size]);
      expect(replayed.bySymbol.get(symbol)).toEqual(live);
    }
    expect(summary.trades).toBe(60);
  });
});
