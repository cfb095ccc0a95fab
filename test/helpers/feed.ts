import { AlpacaMarketFeed } from '../../pipeline/feed/alpaca-market-feed.js';
import { AlpacaTradeHistory } from '../../pipeline/feed/alpaca-trade-history.js';
import { createAlpacaConnector } from '../../pipeline/feed/feed-wiring.js';
import type { Trade } from '../../shared/domain/trade.js';
import type { Watch } from '../../shared/domain/watch.js';
import type { FeedBar, FeedEvent, FeedListeners, FeedTrade } from '../../shared/ports/market-feed.js';
import { decodeTradeRecord } from '../../shared/records/trade-record-codec.js';
import type { FakeAlpaca, ScriptTrade } from '../fakes/fake-alpaca.js';
import type { TestAws } from './embedded-aws.js';
import { readStream } from './kinesis-records.js';
import { memoryLogger } from './local-pipeline-harness.js';

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

/** Trades of `symbol` read back from the trades stream, in stream order. */
export async function streamedTrades(aws: TestAws, symbol: string): Promise<Trade[]> {
  const records = await readStream(aws.clients.kinesis, aws.names.tradesStream);
  return records
    .filter((record) => record.partitionKey === symbol)
    .flatMap((record) => decodeTradeRecord(record.data));
}

/** The Alpaca connector on the test stack, pointed at the fake, with short timings. */
export async function connectorOn(
  aws: TestAws,
  fake: FakeAlpaca,
  options: { secret?: string; maxTradeSymbols?: number; archive?: boolean; feed?: 'iex' | 'sip' } = {},
) {
  const { logger, lines } = memoryLogger();
  const connector = await createAlpacaConnector({
    clients: aws.clients,
    names: aws.names,
    logger,
    settings: {
      keys: { keyId: fake.keyId, secret: options.secret ?? fake.secret },
      feed: options.feed ?? 'iex',
      maxTradeSymbols: options.maxTradeSymbols,
      allBars: false,
      archive: options.archive ?? false,
      streamUrl: fake.streamUrl(options.feed ?? 'iex'),
      dataUrl: fake.restUrl,
    },
    timings: {
      pingIntervalMs: 100,
      pongWaitMs: 100,
      initialReconnectMs: 20,
      maxReconnectMs: 100,
      pollMs: 50,
    },
  });
  return { connector, logLines: lines };
}

/** A watch with the defaults of the demo; fields override. */
export function aWatch(fields: Partial<Watch> & Pick<Watch, 'symbol'>): Watch {
  return {
    userKey: 'console:you',
    thresholdPct: 3,
    window: '15m',
    direction: 'both',
    hours: 'all',
    createdAt: Date.parse('2024-03-05T14:00:00Z'),
    ...fields,
  };
}
