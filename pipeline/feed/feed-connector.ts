import type { Trade } from '../../shared/domain/trade.js';
import type { Logger } from '../../shared/ports/logger.js';
import type {
  FeedBar,
  FeedError,
  FeedEvent,
  FeedSubscription,
  FeedTrade,
  MarketFeed,
  TradeHistory,
} from '../../shared/ports/market-feed.js';
import type { WatchedSymbols } from '../../shared/ports/watched-symbols.js';
import { expandBar } from '../market-data/bar-expansion.js';
import { type FeedSnapshot, RateMeter } from './feed-stats.js';
import { GapBackfill } from './gap-backfill.js';
import { type PlanOptions, planSubscription } from './subscription-plan.js';
import { ConditionFilter } from './trade-conditions.js';

/** Where accepted trades go: the trades stream (FeedTradeWriter) and the archive (TradeArchive). */
export interface TradeOutlet {
  write(trade: Trade): void;
  close(): Promise<unknown>;
}

/** Publishes the subscription for /watchlist (DynamoLiveFeedStatus). */
export interface FeedStatusStore {
  save(trades: readonly string[], bars: readonly string[] | '*'): Promise<void>;
  clear(): Promise<void>;
}

export interface FeedConnectorOptions {
  readonly feed: MarketFeed;
  readonly history: TradeHistory;
  readonly watched: WatchedSymbols;
  readonly outlets: readonly TradeOutlet[];
  readonly logger: Logger;
  readonly plan: PlanOptions;
  readonly status?: FeedStatusStore;
  /** How often the watched-symbols directory is read (default 2 s: a new /watch is live within seconds). */
  readonly pollMs?: number;
  /** How often the status item is refreshed and the metrics logged (default 10 s). */
  readonly reportMs?: number;
  /** After a reconnect, how long to wait for the vendor's subscription acknowledgement before backfilling. */
  readonly subscribeAckMs?: number;
  readonly now?: () => number;
}

const BAR_MS = 60_000;

/**
 * The live-data connector: follows the watchlists (most-watched symbols on trades, the rest on minute
 * bars), passes each trade through the gap backfill and the condition filter, and hands it to the
 * outlets. Owns no socket and no AWS client: the feed, the history and the outlets come in as ports.
 */
export class FeedConnector {
  private readonly logger: Logger;
  private readonly filter = new ConditionFilter();
  private readonly gaps: GapBackfill;
  private readonly rate: RateMeter;
  private readonly now: () => number;
  private subscription: FeedSubscription = { trades: [], bars: [] };
  private tradeSymbols = new Set<string>();
  private state: FeedSnapshot['state'] = 'connecting';
  private reconnects = 0;
  private tradesWritten = 0;
  private lastTradeAt: number | undefined;
  private lastTradeTs: number | undefined;
  private droppedAt: number | undefined;
  private awaitingAck: ((at: number) => void) | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private reportTimer: NodeJS.Timeout | undefined;
  private backfills: Promise<void> = Promise.resolve();
  private polling: Promise<void> = Promise.resolve();
  private stopped = false;
  private resolveFailed: (error: FeedError) => void = () => undefined;
  private readonly expanded: Trade[] = [];
  /** Resolves when the feed stops for good while running (bad keys, a plan limit): the caller should stop. */
  readonly failed: Promise<FeedError>;

  constructor(private readonly options: FeedConnectorOptions) {
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.rate = new RateMeter(5, this.now);
    this.failed = new Promise((resolve) => {
      this.resolveFailed = resolve;
    });
    this.gaps = new GapBackfill(
      options.history,
      (trade) => this.deliver(trade),
      (symbol, fromMs, toMs, error) =>
        this.logger.error('backfill failed', {
          symbol,
          from: new Date(fromMs).toISOString(),
          to: new Date(toMs).toISOString(),
          error,
        }),
    );
  }

  /** Connects, subscribes to what is watched, and starts following the watchlists; rejects with FeedError. */
  async start(): Promise<void> {
    const first = await this.plan();
    await this.options.feed.connect({
      onTrade: (trade) => this.onTrade(trade),
      onBar: (bar) => this.onBar(bar),
      onEvent: (event) => this.onEvent(event),
    });
    this.state = 'live';
    await this.apply(first);
    this.schedulePoll();
    this.reportTimer = setInterval(() => this.report(), this.options.reportMs ?? 10_000);
    this.reportTimer.unref();
  }

  /** Stops following, closes the feed, and flushes every outlet (what is in hand reaches the stream). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.pollTimer);
    clearInterval(this.reportTimer);
    await this.polling;
    await this.options.feed.close();
    await this.backfills;
    if (this.state !== 'failed') this.state = 'stopped';
    for (const outlet of this.options.outlets) await outlet.close();
    await this.options.status?.clear().catch(() => undefined);
    this.report();
  }

  snapshot(): FeedSnapshot {
    const now = this.now();
    const gaps = this.gaps.stats;
    return {
      state: this.state,
      symbolsOnTrades: this.subscription.trades.length,
      symbolsOnBars: this.subscription.bars === '*' ? 'all' : this.subscription.bars.length,
      tradesPerSec: this.rate.perSecond(),
      lastTradeAgeMs: this.lastTradeAt === undefined ? undefined : now - this.lastTradeAt,
      feedLagMs: this.lastTradeTs === undefined ? undefined : now - this.lastTradeTs,
      reconnects: this.reconnects,
      gapsBackfilled: gaps.gapsBackfilled,
      tradesBackfilled: gaps.tradesBackfilled,
      duplicatesDropped: gaps.duplicatesDropped,
      backfillFailures: gaps.backfillFailures,
      droppedByCondition: Object.fromEntries(this.filter.droppedByCondition),
      tradesWritten: this.tradesWritten,
    };
  }

  /** The current subscription (for tests and the status item). */
  get current(): FeedSubscription {
    return this.subscription;
  }

  /** Reads the watched symbols now and applies any change (the poll does this every `pollMs`). */
  async refresh(): Promise<void> {
    this.polling = this.polling.then(async () => this.apply(await this.plan()));
    await this.polling;
  }

  private async plan(): Promise<FeedSubscription> {
    return planSubscription(await this.options.watched.counts(), this.options.plan);
  }

  private async apply(next: FeedSubscription): Promise<void> {
    const same =
      next.trades.join() === this.subscription.trades.join() &&
      (next.bars === '*'
        ? this.subscription.bars === '*'
        : this.subscription.bars !== '*' && next.bars.join() === this.subscription.bars.join());
    if (same || this.stopped) return;
    this.logger.info('feed subscription', {
      trades: next.trades.length,
      bars: next.bars === '*' ? 'all' : next.bars.length,
      added: next.trades.filter((symbol) => !this.tradeSymbols.has(symbol)),
    });
    this.subscription = next;
    this.tradeSymbols = new Set(next.trades);
    this.options.feed.subscribe(next);
    await this.options.status
      ?.save(next.trades, next.bars)
      .catch((error: unknown) => this.logger.warn('feed status not saved', { error }));
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    this.pollTimer = setTimeout(() => {
      this.refresh()
        .catch((error: unknown) => this.logger.warn('watched symbols not read', { error }))
        .finally(() => this.schedulePoll());
    }, this.options.pollMs ?? 2_000);
    this.pollTimer.unref();
  }

  private report(): void {
    const snapshot = this.snapshot();
    this.logger.info('feed metrics', { ...snapshot });
    if (this.state === 'live') {
      void this.options.status?.save(this.subscription.trades, this.subscription.bars).catch(() => undefined);
    }
  }

  private onTrade(trade: FeedTrade): void {
    this.lastTradeAt = this.now();
    this.gaps.accept(trade);
  }

  private onBar(bar: FeedBar): void {
    // With bars for the whole market, a symbol that is on trades gets both: its trades are the finer truth.
    if (this.tradeSymbols.has(bar.symbol)) return;
    this.lastTradeAt = this.now();
    expandBar(bar, BAR_MS, this.expanded);
    for (const trade of this.expanded) this.write(trade);
    this.expanded.length = 0;
  }

  private deliver(trade: FeedTrade): void {
    if (!this.filter.accepts(trade)) return;
    this.write({ symbol: trade.symbol, price: trade.price, size: trade.size, ts: trade.ts });
  }

  private write(trade: Trade): void {
    this.tradesWritten += 1;
    this.lastTradeTs = trade.ts;
    this.rate.add();
    for (const outlet of this.options.outlets) outlet.write(trade);
  }

  private onEvent(event: FeedEvent): void {
    switch (event.kind) {
      case 'connected':
        return;
      case 'disconnected':
        this.state = 'reconnecting';
        this.droppedAt ??= event.at;
        this.logger.warn('feed disconnected', { at: new Date(event.at).toISOString() });
        return;
      case 'reconnected':
        this.onReconnected(event.at);
        return;
      case 'warning':
        this.logger.warn('feed warning', { vendorMessage: event.message });
        return;
      case 'subscribed':
        this.awaitingAck?.(event.at);
        return;
      case 'failed':
        this.state = 'failed';
        this.logger.error('feed failed', {
          code: event.error.code,
          vendorMessage: event.error.vendorMessage,
        });
        this.resolveFailed(event.error);
        return;
    }
  }

  /** Back after a drop: hold the trade symbols' live prints, and once subscribed, backfill the gap. */
  private onReconnected(at: number): void {
    this.state = 'live';
    this.reconnects += 1;
    const droppedAt = this.droppedAt ?? at;
    this.droppedAt = undefined;
    const symbols = [...this.subscription.trades];
    this.logger.info('feed reconnected', {
      reconnects: this.reconnects,
      gapMs: at - droppedAt,
      symbols: symbols.length,
    });
    if (symbols.length === 0) return;
    this.gaps.hold(symbols);
    const acknowledged = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.options.subscribeAckMs ?? 2_000);
      this.awaitingAck = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.backfills = this.backfills
      .then(() => acknowledged)
      .then(() => {
        this.awaitingAck = undefined;
        return this.gaps.backfill(symbols, droppedAt, this.now());
      })
      .then(() => this.logger.info('gap backfilled', { ...this.gaps.stats }));
  }
}
