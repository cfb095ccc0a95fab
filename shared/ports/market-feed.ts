import type { Trade } from '../domain/trade.js';

/** One trade print as a vendor reports it: the shared `Trade` plus what dedupe and the condition filter need. */
export interface FeedTrade extends Trade {
  /** The vendor's trade id; with `exchange`, unique within a symbol's day. */
  readonly id: string;
  readonly exchange: string;
  /** Sale-condition codes (CTA / UTP), e.g. `@`, `I`, `Z`. */
  readonly conditions: readonly string[];
  /** Tape A, B (CTA) or C (UTP): the same code means different things on the two plans. */
  readonly tape: string | undefined;
}

/** One minute bar (OHLCV), starting at `ts` (epoch ms). */
export interface FeedBar {
  readonly symbol: string;
  readonly ts: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** Stable codes of the ways a feed ends; `feedErrorText` turns them into what to do. */
export type FeedErrorCode =
  | 'auth-failed'
  | 'symbol-limit'
  | 'connection-limit'
  | 'insufficient-subscription'
  | 'connect-failed'
  | 'protocol-error';

/** The feed stopped for good: retrying would not help (bad keys, a plan limit). */
export class FeedError extends Error {
  override readonly name = 'FeedError';

  constructor(
    readonly code: FeedErrorCode,
    /** The vendor's own words (e.g. `auth failed`), for the log. */
    readonly vendorMessage: string,
    options?: ErrorOptions,
  ) {
    super(`${code}: ${vendorMessage}`, options);
  }
}

export type FeedEvent =
  | { readonly kind: 'connected' }
  /** The socket dropped or went silent; the feed reconnects by itself. */
  | { readonly kind: 'disconnected'; readonly at: number }
  /** Authenticated again after a drop, and the subscription sent again. */
  | { readonly kind: 'reconnected'; readonly at: number }
  /** The vendor confirmed a subscription (after a change, or after a reconnect). */
  | { readonly kind: 'subscribed'; readonly at: number }
  /** The vendor reported an error that does not end the session (e.g. a slow-client warning). */
  | { readonly kind: 'warning'; readonly message: string }
  /** Terminal: the feed has stopped. */
  | { readonly kind: 'failed'; readonly error: FeedError };

/** What to receive: trades for some symbols, minute bars for others, or bars for every symbol (`'*'`). */
export interface FeedSubscription {
  readonly trades: readonly string[];
  readonly bars: readonly string[] | '*';
}

export interface FeedListeners {
  readonly onTrade: (trade: FeedTrade) => void;
  readonly onBar: (bar: FeedBar) => void;
  readonly onEvent: (event: FeedEvent) => void;
}

/**
 * A vendor-neutral real-time market-data feed: one connection that authenticates, keeps itself alive
 * (heartbeat, reconnect with backoff, re-subscribe) and delivers trades and minute bars.
 */
export interface MarketFeed {
  /** Connects and authenticates; rejects with FeedError when the vendor refuses. */
  connect(listeners: FeedListeners): Promise<void>;
  /** Changes the subscription to exactly `next` (the feed sends only the difference). */
  subscribe(next: FeedSubscription): void;
  close(): Promise<void>;
}

/** The vendor's historical trades, to fill the gap a reconnect leaves. */
export interface TradeHistory {
  /** Trades of `symbol` with `fromMs <= ts <= toMs`, in time order. */
  trades(symbol: string, fromMs: number, toMs: number): AsyncIterable<FeedTrade>;
}
