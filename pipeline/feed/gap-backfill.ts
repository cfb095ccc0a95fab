import type { FeedTrade, TradeHistory } from '../../shared/ports/market-feed.js';

interface SymbolState {
  /** The newest trade time delivered, and the ids delivered at exactly that time. */
  lastTs: number;
  readonly idsAtLast: Set<string>;
  /** Live trades held while the symbol's gap is being backfilled. */
  holding: FeedTrade[] | undefined;
  /** Ids the last backfill delivered, until a live trade is newer than all of them. */
  backfilled: Set<string> | undefined;
  backfilledUntil: number;
}

export interface GapStats {
  gapsBackfilled: number;
  tradesBackfilled: number;
  duplicatesDropped: number;
  backfillFailures: number;
}

function keyOf(trade: FeedTrade): string {
  return `${trade.exchange}:${trade.id}`;
}

/**
 * Keeps each symbol's trades whole across reconnects. Between a drop and the re-subscription the stream
 * misses prints; after it, the vendor's historical trades for [last trade seen, now] fill the gap. Live
 * trades that arrive meanwhile are held, then released behind the backfill, so the symbol stays in time
 * order; a trade already delivered (same exchange and id) is dropped, so nothing repeats.
 *
 * In steady state it remembers only each symbol's last time and the ids at that time: the overlap it has
 * to dedupe is only ever around a reconnect, and 500 symbols × 100 trades/s of ids would not fit.
 */
export class GapBackfill {
  readonly stats: GapStats = {
    gapsBackfilled: 0,
    tradesBackfilled: 0,
    duplicatesDropped: 0,
    backfillFailures: 0,
  };
  private readonly symbols = new Map<string, SymbolState>();

  constructor(
    private readonly history: TradeHistory,
    private readonly deliver: (trade: FeedTrade) => void,
    private readonly onBackfillError: (symbol: string, fromMs: number, toMs: number, error: unknown) => void,
  ) {}

  /** A live trade from the stream. */
  accept(trade: FeedTrade): void {
    const state = this.stateOf(trade.symbol);
    if (state.holding !== undefined) {
      state.holding.push(trade);
      return;
    }
    this.pass(state, trade);
  }

  /** Holds the live trades of `symbols` from now until their backfill is delivered. */
  hold(symbols: readonly string[]): void {
    for (const symbol of symbols) this.stateOf(symbol).holding ??= [];
  }

  /**
   * Fills the gap of each of `symbols` up to `toMs`. Call it when the stream is back and subscribed; live
   * trades of these symbols are held from this call until their backfill is delivered.
   */
  async backfill(
    symbols: readonly string[],
    droppedAt: number,
    toMs: number,
    concurrency = 4,
  ): Promise<void> {
    this.hold(symbols);
    const queue = [...symbols];
    const worker = async () => {
      for (let symbol = queue.shift(); symbol !== undefined; symbol = queue.shift()) {
        await this.backfillOne(symbol, droppedAt, toMs);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  }

  private async backfillOne(symbol: string, droppedAt: number, toMs: number): Promise<void> {
    const state = this.stateOf(symbol);
    const fromMs = Number.isFinite(state.lastTs) ? state.lastTs : droppedAt;
    const backfilled = new Set<string>();
    let filled = 0;
    try {
      for await (const trade of this.history.trades(symbol, fromMs, toMs)) {
        if (!this.pass(state, trade)) continue;
        backfilled.add(keyOf(trade));
        state.backfilledUntil = Math.max(state.backfilledUntil, trade.ts);
        filled += 1;
      }
    } catch (error) {
      this.stats.backfillFailures += 1;
      this.onBackfillError(symbol, fromMs, toMs, error);
    }
    this.stats.gapsBackfilled += 1;
    this.stats.tradesBackfilled += filled;
    state.backfilled = backfilled;
    const held = state.holding ?? [];
    state.holding = undefined;
    for (const trade of held) this.pass(state, trade);
  }

  /** Delivers the trade unless it was already delivered; returns whether it was. */
  private pass(state: SymbolState, trade: FeedTrade): boolean {
    const key = keyOf(trade);
    if ((trade.ts === state.lastTs && state.idsAtLast.has(key)) || state.backfilled?.has(key)) {
      this.stats.duplicatesDropped += 1;
      return false;
    }
    if (state.backfilled !== undefined && trade.ts > state.backfilledUntil) state.backfilled = undefined;
    if (trade.ts > state.lastTs) {
      state.lastTs = trade.ts;
      state.idsAtLast.clear();
    }
    if (trade.ts === state.lastTs) state.idsAtLast.add(key);
    this.deliver(trade);
    return true;
  }

  private stateOf(symbol: string): SymbolState {
    let state = this.symbols.get(symbol);
    if (state === undefined) {
      state = {
        lastTs: Number.NEGATIVE_INFINITY,
        idsAtLast: new Set(),
        holding: undefined,
        backfilled: undefined,
        backfilledUntil: Number.NEGATIVE_INFINITY,
      };
      this.symbols.set(symbol, state);
    }
    return state;
  }
}
