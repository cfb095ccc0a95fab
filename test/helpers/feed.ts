import { AlpacaMarketFeed } from '../../pipeline/feed/alpaca-market-feed.js';
import { AlpacaTradeHistory } from '../../pipeline/feed/alpaca-trade-history.js';
import type { FeedBar, FeedEvent, FeedListeners, FeedTrade } from '../../shared/ports/market-feed.js';
import type { FakeAlpaca, ScriptTrade } from '../fakes/fake-alpaca.js';

/** The Alpaca adapter pointed at the fake, with timings short enough for tests. */
export function alpacaFeedOn(
  fake: FakeAlpaca,
  overrides: { secret?: string; feed?: 'iex' | 'sip' | 'test' } = {},
) {
  return new AlpacaMarketFeed({
    keyId: fake.keyId,
    secret: overrides.secret ?? fake.secret,
    feed: overrides.feed ?? 'iex',
    url: fake.streamUrl(overrides.feed ?? 'iex'),
    pingIntervalMs: 100,
    pongWaitMs: 100,
    initialReconnectMs: 20,
    maxReconnectMs: 100,
  });
}

export function alpacaHistoryOn(fake: FakeAlpaca, pageSize = 3) {
  return new AlpacaTradeHistory({
    keyId: fake.keyId,
    secret: fake.secret,
    feed: 'iex',
    baseUrl: fake.restUrl,
    pageSize,
  });
}

/** Listeners that record everything the feed delivers. */
export function recordingListeners(): FeedListeners & {
  trades: FeedTrade[];
  bars: FeedBar[];
  events: FeedEvent[];
} {
  const trades: FeedTrade[] = [];
  const bars: FeedBar[] = [];
  const events: FeedEvent[] = [];
  return {
    trades,
    bars,
    events,
    onTrade: (trade) => trades.push(trade),
    onBar: (bar) => bars.push(bar),
    onEvent: (event) => events.push(event),
  };
}

/** A scripted trade; ids count up per call site through `id`. */
export function aScriptTrade(fields: Partial<ScriptTrade> & Pick<ScriptTrade, 'id' | 'ts'>): ScriptTrade {
  return { symbol: 'BAC', price: 30, size: 100, exchange: 'V', conditions: ['@'], tape: 'A', ...fields };
}
