import { afterEach, describe, expect, it } from 'vitest';
import { FeedError } from '../../shared/ports/market-feed.js';
import { FakeAlpaca } from '../fakes/fake-alpaca.js';
import { waitUntil, withTimeout } from '../fakes/wait.js';
import { alpacaFeedOn, alpacaHistoryOn, aScriptTrade, recordingListeners } from '../helpers/feed.js';

const T0 = Date.parse('2024-03-05T15:00:00Z');
let fake: FakeAlpaca | undefined;
const feeds: { close(): Promise<void> }[] = [];

afterEach(async () => {
  for (const feed of feeds.splice(0)) await feed.close();
  await fake?.stop();
  fake = undefined;
});

async function connectedFeed(alpaca: FakeAlpaca) {
  const feed = alpacaFeedOn(alpaca);
  feeds.push(feed);
  const listeners = recordingListeners();
  await withTimeout(feed.connect(listeners), 5_000, 'the feed to connect');
  return { feed, listeners };
}

describe('AlpacaMarketFeed (the official SDK against the fake Alpaca over a real socket)', () => {
  it('authenticates, subscribes, and delivers trades with their id, exchange, conditions and time', async () => {
    fake = await FakeAlpaca.start();
    const { feed, listeners } = await connectedFeed(fake);
    feed.subscribe({ trades: ['BAC'], bars: [] });
    await waitUntil(() => (fake?.subscribedTrades().includes('BAC') ? true : undefined), 'the subscription');

    fake.printTrades([
      aScriptTrade({ id: 1, ts: T0, price: 30.5, conditions: ['@', 'F'] }),
      aScriptTrade({ symbol: 'IBM', id: 2, ts: T0 }),
    ]);

    await waitUntil(() => listeners.trades[0], 'the trade');
    expect(listeners.trades).toEqual([
      {
        symbol: 'BAC',
        price: 30.5,
        size: 100,
        ts: T0,
        id: '1',
        exchange: 'V',
        conditions: ['@', 'F'],
        tape: 'A',
      },
    ]);
  });

  it('changes the subscription by difference: unsubscribing a symbol stops its trades', async () => {
    fake = await FakeAlpaca.start();
    const { feed } = await connectedFeed(fake);
    feed.subscribe({ trades: ['BAC', 'IBM'], bars: [] });
    await waitUntil(() => (fake?.subscribedTrades().length === 2 ? true : undefined), 'two symbols');
    feed.subscribe({ trades: ['IBM'], bars: [] });
    await waitUntil(() => (fake?.subscribedTrades().join() === 'IBM' ? true : undefined), 'BAC removed');
    expect(fake.received.filter((action) => action.action === 'unsubscribe')).toEqual([
      { action: 'unsubscribe', trades: ['BAC'] },
    ]);
  });

  it('rejects with auth-failed when the keys are wrong, and does not retry', async () => {
    fake = await FakeAlpaca.start();
    const feed = alpacaFeedOn(fake, { secret: 'wrong' });
    feeds.push(feed);
    const error = await withTimeout(feed.connect(recordingListeners()), 5_000, 'the refusal').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FeedError);
    expect((error as FeedError).code).toBe('auth-failed');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.received.filter((action) => action.action === 'auth')).toHaveLength(1);
  });

  it('rejects with connection-limit when another connection holds the plan’s only one', async () => {
    fake = await FakeAlpaca.start({ connectionLimit: 1 });
    await connectedFeed(fake);
    const second = alpacaFeedOn(fake);
    feeds.push(second);
    const error = await withTimeout(second.connect(recordingListeners()), 5_000, 'the refusal').catch(
      (e: unknown) => e,
    );
    expect((error as FeedError).code).toBe('connection-limit');
  });

  it('rejects with insufficient-subscription on a feed the plan does not include', async () => {
    fake = await FakeAlpaca.start({ forbiddenFeeds: ['sip'] });
    const feed = alpacaFeedOn(fake, { feed: 'sip' });
    feeds.push(feed);
    const error = await withTimeout(feed.connect(recordingListeners()), 5_000, 'the refusal').catch(
      (e: unknown) => e,
    );
    expect((error as FeedError).code).toBe('insufficient-subscription');
  });

  it('reports a failed event with symbol-limit when a subscription exceeds the plan', async () => {
    fake = await FakeAlpaca.start({ symbolLimit: 2 });
    const { feed, listeners } = await connectedFeed(fake);
    feed.subscribe({ trades: ['A', 'B', 'C'], bars: [] });
    const failed = await waitUntil(
      () => listeners.events.find((event) => event.kind === 'failed'),
      'the failure',
    );
    expect(failed.kind === 'failed' && failed.error.code).toBe('symbol-limit');
  });

  it('detects a stalled socket by its heartbeat, reconnects, re-authenticates and re-subscribes', async () => {
    fake = await FakeAlpaca.start();
    const { feed, listeners } = await connectedFeed(fake);
    feed.subscribe({ trades: ['BAC'], bars: [] });
    await waitUntil(() => (fake?.subscribedTrades().includes('BAC') ? true : undefined), 'the subscription');

    fake.stallHeartbeat();

    await waitUntil(() => listeners.events.find((event) => event.kind === 'reconnected'), 'the reconnect');
    await waitUntil(
      () => (fake?.subscribedTrades().includes('BAC') ? true : undefined),
      'the re-subscription',
    );
    expect(listeners.events.map((event) => event.kind)).toContain('disconnected');
    fake.printTrades([aScriptTrade({ id: 7, ts: T0 })]);
    await waitUntil(() => listeners.trades[0], 'a trade after the reconnect');
  });

  it('reads historical trades page by page with next_page_token', async () => {
    fake = await FakeAlpaca.start();
    fake.printTrades(Array.from({ length: 8 }, (_, i) => aScriptTrade({ id: i + 1, ts: T0 + i * 1000 })));
    const history = alpacaHistoryOn(fake, 3);
    const trades = [];
    for await (const trade of history.trades('BAC', T0 + 1000, T0 + 6000)) trades.push(trade);
    expect(trades.map((trade) => trade.id)).toEqual(['2', '3', '4', '5', '6', '7']);
    expect(trades[0]?.ts).toBe(T0 + 1000);
    expect(fake.restRequests).toBe(2);
  });
});
