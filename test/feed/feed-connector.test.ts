import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { renderConsoleReply } from '../../bot/console/console-text.js';
import { createCommandCore } from '../../bot/core/command-core.js';
import { runBacktest } from '../../pipeline/detect/backtest.js';
import { ineligibleCondition } from '../../pipeline/feed/trade-conditions.js';
import type { LocalPipeline } from '../../pipeline/local/local-pipeline.js';
import { DynamoLiveFeedStatus } from '../../shared/aws/dynamo-live-feed-status.js';
import type { Alert } from '../../shared/domain/alert.js';
import { FakeAlpaca, type ScriptTrade } from '../fakes/fake-alpaca.js';
import { waitUntil, withTimeout } from '../fakes/wait.js';
import { aScriptTrade, aWatch, connectorOn, streamedTrades } from '../helpers/feed.js';
import { alertItemsOf, createTestPipeline, type DeliveredDm } from '../helpers/local-pipeline-harness.js';
import { useTestAws } from '../helpers/use-test-aws.js';

const aws = useTestAws();
let pipeline: LocalPipeline;
const dms: DeliveredDm[] = [];
let fake: FakeAlpaca;
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  ({ pipeline } = createTestPipeline(aws, dms));
  await pipeline.start();
});

afterAll(async () => {
  await pipeline.stop();
});

afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function running(options: Parameters<typeof connectorOn>[2] = {}) {
  fake = await FakeAlpaca.start();
  stops.push(() => fake.stop());
  const made = await connectorOn(aws, fake, options);
  await withTimeout(made.connector.start(), 5_000, 'the connector to start');
  stops.push(() => made.connector.stop());
  return made;
}

function subscribed(symbol: string, wanted = true) {
  return waitUntil(
    () => (fake.subscribedTrades().includes(symbol) === wanted ? true : undefined),
    `${symbol} ${wanted ? 'on' : 'off'} trades`,
  );
}

describe('the feed connector (fake Alpaca → connector → trades stream → detector → DM)', () => {
  it('sends the DM that backtest finds on the same trades, and drops prints that are not last-sale eligible', async () => {
    await pipeline.watches.put(aWatch({ symbol: 'XOM', thresholdPct: 2.5, window: '5m', direction: 'down' }));
    await running();
    await subscribed('XOM');
    const t0 = Date.now() - 10 * 60_000;
    const prices = [100, 100.01, 100, 100.02, 99.5, 99, 98.5, 98, 97.6, 97.1, 96.9];
    const script: ScriptTrade[] = prices.map((price, i) =>
      aScriptTrade({ symbol: 'XOM', id: i + 1, ts: t0 + i * 10_000, price }),
    );
    // An odd lot and an out-of-sequence print far below the market: the detector must never see them.
    script.splice(
      3,
      0,
      aScriptTrade({ symbol: 'XOM', id: 100, ts: t0 + 25_000, price: 90, conditions: ['I'] }),
    );
    script.splice(
      5,
      0,
      aScriptTrade({ symbol: 'XOM', id: 101, ts: t0 + 35_000, price: 91, conditions: ['@', 'Z'] }),
    );

    fake.printTrades(script);

    const dm = await waitUntil(() => dms.find((sent) => sent.text.includes('XOM')), 'the XOM DM', 15_000);
    const expected: Alert[] = [];
    const eligible = script.filter(
      (trade) => ineligibleCondition({ conditions: trade.conditions ?? [], tape: trade.tape }) === undefined,
    );
    await runBacktest(
      (async function* () {
        for (const trade of eligible)
          yield {
            trade: { symbol: trade.symbol, price: trade.price, size: trade.size, ts: trade.ts },
            line: 0,
          };
      })(),
      {
        watches: [aWatch({ symbol: 'XOM', thresholdPct: 2.5, window: '5m', direction: 'down' })],
        tickFilter: true,
        onAlert: (alert) => expected.push(alert),
      },
    );
    expect(expected).toHaveLength(1);
    const recorded = (await alertItemsOf(aws, 'console:you')).filter((item) => item.symbol === 'XOM');
    expect(recorded).toHaveLength(1);
    const [alert] = expected as [Alert];
    expect(recorded[0]).toMatchObject({
      alertId: alert.alertId,
      fromPrice: alert.fromPrice,
      fromTs: alert.fromTs,
      toPrice: alert.toPrice,
      toTs: alert.toTs,
    });
    expect(dm.userKey).toBe('console:you');
    expect((await streamedTrades(aws, 'XOM')).map((trade) => trade.price)).toEqual(
      eligible.map((trade) => trade.price),
    );
  });

  it('fills a reconnect gap from the history with no duplicate and no hole, trade by trade', async () => {
    await pipeline.watches.put(aWatch({ symbol: 'GAP' }));
    const { connector, logLines } = await running();
    await subscribed('GAP');
    const t0 = Date.now() - 60_000;
    const script = Array.from({ length: 40 }, (_, i) =>
      aScriptTrade({ symbol: 'GAP', id: i + 1, ts: t0 + i * 100, price: 50 + i / 100 }),
    );

    fake.printTrades(script.slice(0, 10));
    await waitUntil(
      () => (connector.snapshot().tradesWritten >= 10 ? true : undefined),
      'the first ten trades',
    );
    fake.dropConnections(300);
    // Printed while the link is down: only the vendor's history has them.
    fake.printTrades(script.slice(10, 30));
    await waitUntil(
      () => (connector.snapshot().reconnects === 1 ? true : undefined),
      'the reconnect',
      10_000,
    );
    await subscribed('GAP');
    fake.printTrades(script.slice(30));

    await waitUntil(
      () => (connector.snapshot().tradesWritten >= 40 ? true : undefined),
      'forty trades',
      10_000,
    );
    await connector.stop();
    const streamed = await streamedTrades(aws, 'GAP');
    expect(streamed).toEqual(script.map(({ symbol, price, size, ts }) => ({ symbol, price, size, ts })));
    const snapshot = connector.snapshot();
    // One gap per symbol on trades (XOM, watched by the first test, has none in its history).
    expect(snapshot.gapsBackfilled).toBe(connector.current.trades.length);
    // The 20 missed trades, plus any of the last 10 that printed before the history was read.
    expect(snapshot.tradesBackfilled).toBeGreaterThanOrEqual(20);
    expect(snapshot.tradesBackfilled).toBeLessThanOrEqual(30);
    // The history starts at the last trade seen (already delivered), and the live copies of backfilled
    // trades arrive too: each is dropped by its id.
    expect(snapshot.duplicatesDropped).toBe(1 + (snapshot.tradesBackfilled - 20));
    // The metrics: reconnects, gaps backfilled, feed lag and drops by condition, as log fields.
    const metrics = logLines.filter((line) => line.message === 'feed metrics').at(-1);
    expect(metrics).toMatchObject({
      reconnects: 1,
      gapsBackfilled: snapshot.gapsBackfilled,
      droppedByCondition: {},
    });
    expect(typeof metrics?.feedLagMs).toBe('number');
  });

  it('follows the watchlists: a new /watch is subscribed, the last /unwatch removes it, and /watchlist can tell', async () => {
    const { connector } = await running();
    const status = new DynamoLiveFeedStatus(aws.clients.dynamo, aws.names.watchesTable);

    await pipeline.watches.put(aWatch({ symbol: 'NEW', userKey: 'console:a' }));
    await pipeline.watches.put(aWatch({ symbol: 'NEW', userKey: 'console:b' }));
    await subscribed('NEW');
    expect(await status.modes(['NEW'])).toEqual(new Map([['NEW', 'trades']]));

    await pipeline.watches.remove('console:a', 'NEW');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.subscribedTrades()).toContain('NEW');
    await pipeline.watches.remove('console:b', 'NEW');
    await subscribed('NEW', false);
    expect(connector.current.trades).not.toContain('NEW');
  });

  it('puts the most-watched symbols on trades and the rest on minute bars when the plan limits trade channels', async () => {
    await pipeline.watches.put(aWatch({ symbol: 'POP', userKey: 'console:a' }));
    await pipeline.watches.put(aWatch({ symbol: 'POP', userKey: 'console:b' }));
    await pipeline.watches.put(aWatch({ symbol: 'POP', userKey: 'console:c' }));
    await pipeline.watches.put(aWatch({ symbol: 'ZZZ', userKey: 'console:a' }));
    const { connector } = await running({ maxTradeSymbols: 1 });
    expect(connector.current.trades).toEqual(['POP']);
    expect(connector.current.bars).toContain('ZZZ');
    const status = new DynamoLiveFeedStatus(aws.clients.dynamo, aws.names.watchesTable);
    const core = createCommandCore({ watches: pipeline.watches, liveFeed: status });
    const reply = renderConsoleReply(await core.run('console:a', 'watchlist', []));
    expect(reply).toMatch(/POP .*live: trades/);
    expect(reply).toMatch(/ZZZ .*live: minute bars/);
    expect(await status.modes(['POP', 'ZZZ'])).toEqual(
      new Map([
        ['POP', 'trades'],
        ['ZZZ', 'bars'],
      ]),
    );
    await waitUntil(() => (fake.subscribedBars().includes('ZZZ') ? true : undefined), 'ZZZ on bars', 15_000);
    const t0 = Date.now() - 120_000;
    fake.printBars([{ symbol: 'ZZZ', ts: t0, open: 10, high: 11, low: 9, close: 9.5, volume: 400 }]);
    await waitUntil(
      () => (connector.snapshot().tradesWritten >= 4 ? true : undefined),
      'the bar as four trades',
    );
    await connector.stop();
    expect((await streamedTrades(aws, 'ZZZ')).map((trade) => trade.price)).toEqual([10, 11, 9, 9.5]);
  });
});
