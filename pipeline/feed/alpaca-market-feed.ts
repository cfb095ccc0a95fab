import { streaming } from '@alpacahq/alpaca-trade-api';
import {
  FeedError,
  type FeedErrorCode,
  type FeedListeners,
  type FeedSubscription,
  type MarketFeed,
} from '../../shared/ports/market-feed.js';
import { channelDiff } from './subscription-plan.js';

/** Alpaca's market-data stream feeds: `test` is the always-on test stream (symbol FAKEPACA). */
export const ALPACA_FEEDS = ['iex', 'sip', 'test'] as const;
export type AlpacaFeedName = (typeof ALPACA_FEEDS)[number];

export const ALPACA_STREAM_HOST = 'wss://stream.data.alpaca.markets';

export interface AlpacaFeedOptions {
  readonly keyId: string;
  readonly secret: string;
  readonly feed: AlpacaFeedName;
  /** Overrides `wss://stream.data.alpaca.markets/v2/{feed}` (a proxy, or the local fake in tests). */
  readonly url?: string;
  /** Ping interval and pong wait: a socket silent for both is dead (defaults 10 s and 5 s). */
  readonly pingIntervalMs?: number;
  readonly pongWaitMs?: number;
  /** First reconnect delay (default 1 s), doubled per attempt up to `maxReconnectMs` (30 s), ±50% jitter. */
  readonly initialReconnectMs?: number;
  readonly maxReconnectMs?: number;
  readonly now?: () => number;
}

/**
 * The stream's error codes that end the session for good (docs/alpaca-feed.md). 401/402/404 are
 * authentication failures, which the SDK already treats as terminal; 405, 406 and 409 are plan limits,
 * which it reports as errors and would otherwise reconnect into again and again.
 */
const FATAL_CODES: ReadonlyMap<number, FeedErrorCode> = new Map([
  [401, 'auth-failed'],
  [402, 'auth-failed'],
  [404, 'auth-failed'],
  [405, 'symbol-limit'],
  [406, 'connection-limit'],
  [409, 'insufficient-subscription'],
]);

/**
 * The SDK reports stream errors by their canonical text (its CONN_ERROR table), not by code: map the
 * text back to the code.
 */
const CODE_BY_TEXT: ReadonlyMap<string, number> = new Map(
  [...streaming.CONN_ERROR.entries()].map(([code, text]) => [text, code]),
);

/**
 * Alpaca Market Data v2 real-time stream through the official SDK (`@alpacahq/alpaca-trade-api`
 * StockDataStream): msgpack frames, auth message, ping/pong heartbeat, reconnect with jittered
 * exponential backoff and re-subscription after re-authentication are the SDK's; this adapter maps its
 * messages onto the MarketFeed port and turns plan-limit errors into a terminal FeedError.
 */
export class AlpacaMarketFeed implements MarketFeed {
  private readonly stream: streaming.StockDataStream;
  private current: FeedSubscription = { trades: [], bars: [] };
  private closing = false;
  private failed = false;
  private connected = false;
  private readonly now: () => number;

  constructor(options: AlpacaFeedOptions) {
    this.now = options.now ?? Date.now;
    this.stream = new streaming.StockDataStream({
      credentials: { keyId: options.keyId, secret: options.secret },
      url: options.url ?? `${ALPACA_STREAM_HOST}/v2/${options.feed}`,
      maxReconnectAttempts: streaming.UNLIMITED_RECONNECT_ATTEMPTS,
      initialReconnectMs: options.initialReconnectMs ?? 1_000,
      maxReconnectMs: options.maxReconnectMs ?? 30_000,
      reconnectJitter: 0.5,
      pingIntervalMs: options.pingIntervalMs ?? 10_000,
      pongWaitMs: options.pongWaitMs ?? 5_000,
    });
  }

  connect(listeners: FeedListeners): Promise<void> {
    const { stream } = this;
    stream.onTrade((trade) => {
      listeners.onTrade({
        symbol: trade.symbol,
        price: trade.price,
        size: trade.size,
        ts: trade.timestamp.getTime(),
        id: trade.idRaw ?? String(trade.id),
        exchange: trade.exchange ?? '',
        conditions: trade.conditions ?? [],
        tape: trade.tape,
      });
    });
    stream.onBar((bar) =>
      listeners.onBar({
        symbol: bar.symbol,
        ts: bar.timestamp.getTime(),
        open: bar.open,
        high: bar.high,
        low: bar.low,
        close: bar.close,
        volume: bar.volume,
      }),
    );
    stream.onDisconnect(() => {
      if (this.connected && !this.closing && !this.failed) {
        listeners.onEvent({ kind: 'disconnected', at: this.now() });
      }
    });
    stream.onReconnected(() => listeners.onEvent({ kind: 'reconnected', at: this.now() }));
    stream.on(streaming.EVENT.SUBSCRIPTION, () => listeners.onEvent({ kind: 'subscribed', at: this.now() }));
    return new Promise<void>((resolve, reject) => {
      const fail = (error: FeedError) => {
        if (this.failed) return;
        this.failed = true;
        stream.disconnect();
        if (this.connected) listeners.onEvent({ kind: 'failed', error });
        else reject(error);
      };
      stream.onError((message) => {
        const code = CODE_BY_TEXT.get(message);
        const fatal = code === undefined ? undefined : FATAL_CODES.get(code);
        if (fatal !== undefined) fail(new FeedError(fatal, `${code} ${message}`));
        else listeners.onEvent({ kind: 'warning', message });
      });
      stream.onConnect(() => {
        if (this.connected) return;
        this.connected = true;
        listeners.onEvent({ kind: 'connected' });
        resolve();
      });
      void stream.whenAuthenticated().then((result) => {
        if (result.authenticated) return;
        const fatal = result.code === undefined ? undefined : FATAL_CODES.get(result.code);
        fail(new FeedError(fatal ?? 'connect-failed', `${result.code ?? result.status} ${result.message}`));
      });
      stream.connect();
    });
  }

  subscribe(next: FeedSubscription): void {
    const trades = channelDiff(this.current.trades, next.trades);
    const bars = channelDiff(this.current.bars, next.bars);
    this.current = { trades: [...next.trades], bars: next.bars === '*' ? '*' : [...next.bars] };
    if (trades.remove.length > 0) this.stream.unsubscribeFromTrades([...trades.remove]);
    if (bars.remove.length > 0) this.stream.unsubscribeFromBars([...bars.remove]);
    if (trades.add.length > 0) this.stream.subscribeForTrades([...trades.add]);
    if (bars.add.length > 0) this.stream.subscribeForBars([...bars.add]);
  }

  async close(): Promise<void> {
    this.closing = true;
    this.stream.disconnect();
  }
}
