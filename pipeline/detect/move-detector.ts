import type { Alert } from '../../shared/domain/alert.js';
import {
  BadTickFilter,
  type BadTickRule,
  DEFAULT_BAD_TICK_RULE,
} from '../../shared/domain/bad-tick-filter.js';
import { NewYorkClock } from '../../shared/domain/new-york-clock.js';
import type { Trade } from '../../shared/domain/trade.js';
import type { Watch } from '../../shared/domain/watch.js';
import type { MinuteBar, QuoteSnapshot } from '../../shared/ports/quote-store.js';
import { type BatchUndo, EndedBatches } from './batch-undo.js';
import { fireBook } from './fire-alerts.js';
import { restoreInto } from './restore-cold-symbols.js';
import { type BookSlot, SymbolState } from './symbol-state.js';
import { UnwatchedSymbols } from './unwatched-symbols.js';
import type { WatcherCache } from './watcher-cache.js';

/** A trade this much older than its symbol's latest is a rewind (a replay restarted), not a late print. */
export const REWIND_TOLERANCE_MS = 1_000;

/** An unwatched symbol this long without a trade holds nothing a window needs: the longest window, 1 d,
 * plus the bad-tick filter's 5-minute horizon. */
export const IDLE_SYMBOL_MS = 24 * 3_600_000 + 5 * 60_000;

/** The default bound on unwatched symbols kept: more than a whole US market's listed symbols. */
export const DEFAULT_MAX_UNWATCHED_SYMBOLS = 15_000;

/** The levels of a quote with none above 0 (nearly all): one frozen object, not one per snapshot. */
const NO_LEVELS: Readonly<Record<string, number>> = Object.freeze({});

/** What {@link MoveDetector.checkpointWarm} asks the watcher cache. */
export type CachedWatchers = Pick<WatcherCache, 'entryOf' | 'peekEntry'>;

export interface MoveDetectorOptions {
  /** The bad-print filter: on by default (DEFAULT_BAD_TICK_RULE); `false` takes every print at face value. */
  readonly tickFilter?: boolean | BadTickRule;
  /** Keep quotes and minute bars for {@link MoveDetector.drainQuotes} (the handler does; a backtest need not). */
  readonly trackQuotes?: boolean;
  /**
   * At the end of each batch, unwatched symbols beyond this many are forgotten, least recently traded
   * first (as are unwatched symbols idle for IDLE_SYMBOL_MS). One that trades again is cold: the handler
   * restores it from the Quotes table. Watched symbols are always kept; their number is bounded by the
   * watches.
   */
  readonly maxUnwatchedSymbols?: number;
}

/**
 * Decides alerts from trades, one symbol at a time. At each trade and window W:
 * down = (highest in W − price) / highest × 100, up = (price − lowest in W) / lowest × 100.
 * Per watch and direction a state machine starts armed at level 0; a move of at least (level + 1) × θ
 * alerts and sets level = floor(move / θ); a move under θ / 2 re-arms it. Every window is tracked for every
 * symbol, so a watch added later starts with warm windows. Cost per trade: O(1) amortised per window,
 * plus O(log n) per watch machine that changes state (see ThresholdBook).
 *
 * Time comes from the trades. A print up to REWIND_TOLERANCE_MS late enters the windows at the
 * symbol's latest time; an older one means the feed was rewound (the same file replayed again), and
 * the symbol starts afresh, so a replay decides exactly what the first pass decided.
 */
export class MoveDetector {
  /** Prints the bad-tick filter has dropped. */
  droppedTicks = 0;
  /** Symbols forgotten by {@link commit} (unwatched and idle, or beyond the bound). */
  evictedSymbols = 0;
  private readonly symbols = new Map<string, SymbolState>();
  private readonly unwatched: UnwatchedSymbols;
  private batches = 0;
  /** The latest trade time of any symbol at a commit: the detector's idea of "now" for idleness. */
  private clockTs = Number.NEGATIVE_INFINITY;
  /** States whose quote has traded since the last drainQuotes (each once): what drainQuotes walks. */
  private touchedQuotes: SymbolState[] = [];
  /**
   * The state of the last symbol traded or checkpointed: the next trade is nearly always of the same
   * symbol (a record holds one symbol's trades, and the handler checkpoints a symbol just before its
   * first trade), and a lookup by symbol in a map of 10,000 is a cache miss or two.
   */
  private recent: SymbolState | undefined = undefined;
  private readonly endedBatches = new EndedBatches();
  private readonly clock = new NewYorkClock();
  private readonly rule: BadTickRule | undefined;
  private readonly trackQuotes: boolean;
  private sessionMinute = Number.NaN;
  private sessionRegular = false;

  constructor(options: MoveDetectorOptions = {}) {
    const filter = options.tickFilter ?? true;
    this.rule = filter === false ? undefined : filter === true ? DEFAULT_BAD_TICK_RULE : filter;
    this.trackQuotes = options.trackQuotes ?? false;
    this.unwatched = new UnwatchedSymbols(options.maxUnwatchedSymbols ?? DEFAULT_MAX_UNWATCHED_SYMBOLS);
  }

  /** Feeds one trade and returns the alerts it fires for `watches` (the watchers of its symbol). */
  onTrade(trade: Trade, watches: readonly Watch[]): Alert[] {
    const fired: Alert[] = [];
    this.onTradeInto(trade, watches, fired);
    return fired;
  }

  /** {@link onTrade} without allocating: appends the alerts to `fired`. */
  onTradeInto(trade: Trade, watches: readonly Watch[], fired: Alert[]): void {
    let state = this.recent;
    if (state === undefined || state.detached || state.symbol !== trade.symbol) {
      state = this.symbols.get(trade.symbol);
    }
    if (state === undefined || trade.ts < state.latestTs - REWIND_TOLERANCE_MS) {
      state = this.freshState(trade.symbol);
    }
    this.recent = state;
    state.syncWatches(watches);
    const filter = state.filter;
    if (filter === undefined) {
      this.apply(state, trade, fired);
      return;
    }
    const dropped = filter.dropped;
    switch (filter.offer(trade)) {
      case 'accept':
        this.apply(state, trade, fired);
        return;
      case 'hold':
        return;
      case 'release':
        for (const held of filter.released) this.apply(state, held, fired);
        this.apply(state, trade, fired);
        return;
      case 'discard':
        this.droppedTicks += filter.dropped - dropped;
        this.apply(state, trade, fired);
        return;
    }
  }

  /** How many symbols the detector holds state for. */
  get trackedSymbols(): number {
    return this.symbols.size;
  }

  /** True when the detector already holds state for `symbol` (it need not be restored). */
  isWarm(symbol: string): boolean {
    return this.symbols.has(symbol);
  }

  /**
   * Restores a symbol after a cold start from what an earlier process persisted: its minute bars (the
   * open, high, low and close of each at the times they traded) go back into the windows, and the quote
   * gives the alert levels, the open minute and the filter's prevailing price. Nothing is restored when
   * `firstTs`, the first trade to come, is a rewind against the snapshot: the symbol then starts afresh.
   * Returns whether it restored.
   */
  restore(
    symbol: string,
    snapshot: QuoteSnapshot | undefined,
    bars: readonly MinuteBar[],
    firstTs: number,
  ): boolean {
    if (snapshot === undefined || firstTs < snapshot.ts - REWIND_TOLERANCE_MS) return false;
    restoreInto(this.freshState(symbol), snapshot, bars, firstTs);
    return true;
  }

  /** Forgets all state, as a fresh Lambda environment would. */
  reset(): void {
    for (const state of this.symbols.values()) state.detached = true;
    this.symbols.clear();
    this.unwatched.clear();
    this.touchedQuotes = [];
  }

  /** Starts a batch whose changes {@link rollback} can undo; end it with commit or rollback. */
  beginBatch(): BatchUndo {
    return this.endedBatches.take();
  }

  /**
   * Saves `symbol` in `batch` before the batch first changes it (call it before its first trade, or its
   * restore, in the batch). Costs what the batch then writes, not the size of the symbol's state.
   */
  checkpoint(batch: BatchUndo, symbol: string): void {
    const state = this.symbols.get(symbol);
    batch.save(symbol, state);
    if (state !== undefined) this.recent = state;
  }

  /**
   * {@link checkpoint} when the detector holds state for `symbol` ({@link isWarm}) and `watchers` has a
   * fresh answer for it, in one lookup by symbol; returns that answer, or undefined (then nothing is
   * saved: a cold symbol is left for the caller to restore, then checkpoint). The symbol's watcher-cache
   * entry is kept on its state, so the cache is asked without a lookup of its own.
   */
  checkpointWarm(batch: BatchUndo, symbol: string, watchers: CachedWatchers): readonly Watch[] | undefined {
    const state = this.symbols.get(symbol);
    if (state === undefined) return undefined;
    let entry = state.watcherEntry;
    let watches = entry === undefined ? undefined : watchers.peekEntry(entry);
    if (watches === undefined) {
      entry = watchers.entryOf(symbol);
      watches = entry === undefined ? undefined : watchers.peekEntry(entry);
      if (watches === undefined) return undefined;
      state.watcherEntry = entry;
    }
    batch.save(symbol, state);
    this.recent = state;
    return watches;
  }

  /** Keeps the batch: ends its checkpoints, then forgets unwatched symbols that are idle or over the bound. */
  commit(batch: BatchUndo): void {
    this.batches += 1;
    for (let i = 0; i < batch.size; i += 1) {
      // The saved object, unless the batch replaced or created the symbol's state: no lookup by symbol.
      const state = batch.stateAt(i) ?? this.symbols.get(batch.symbolAt(i));
      if (state === undefined) continue;
      if (state.latestTs > this.clockTs) this.clockTs = state.latestTs;
      this.unwatched.touched(state, this.batches);
    }
    batch.commit();
    this.endedBatches.give(batch);
    this.unwatched.evict(this.clockTs - IDLE_SYMBOL_MS, (state) => {
      if (this.symbols.get(state.symbol) !== state) return;
      this.symbols.delete(state.symbol);
      state.detached = true;
      this.evictedSymbols += 1;
    });
  }

  /** Puts the checkpointed symbols back as they were, so a retried batch is decided exactly as before. */
  rollback(batch: BatchUndo): void {
    const restored = batch.rollback(this.symbols);
    this.endedBatches.give(batch);
    const touched = new Set<SymbolState>();
    for (const state of [...this.touchedQuotes, ...restored]) {
      if (state.quote?.touched && !state.detached) touched.add(state);
    }
    this.touchedQuotes = [...touched];
  }

  /** Quotes of the symbols that traded since the last call, and the minutes that closed. */
  drainQuotes(): { quotes: QuoteSnapshot[]; bars: MinuteBar[] } {
    const quotes: QuoteSnapshot[] = [];
    const bars: MinuteBar[] = [];
    for (const state of this.touchedQuotes) {
      const quote = state.quote;
      if (quote === undefined || !quote.touched || state.detached) continue;
      quote.touched = false;
      const levels = state.levels();
      quotes.push(quote.snapshot(levels.size === 0 ? NO_LEVELS : Object.fromEntries(levels)));
      for (const bar of quote.drainClosedBars()) bars.push(bar);
    }
    this.touchedQuotes = [];
    return { quotes, bars };
  }

  private freshState(symbol: string): SymbolState {
    const replaced = this.symbols.get(symbol);
    if (replaced !== undefined) replaced.detached = true;
    const state = new SymbolState(
      symbol,
      this.rule === undefined ? undefined : new BadTickFilter(this.rule),
      this.trackQuotes ? this.clock : undefined,
    );
    this.symbols.set(symbol, state);
    return state;
  }

  private apply(state: SymbolState, trade: Trade, fired: Alert[]): void {
    const ts = Math.max(trade.ts, state.latestTs);
    state.latestTs = ts;
    const price = trade.price;
    // The state is its windows' set (SymbolState extends WindowSet).
    state.push(ts, price);
    const quote = state.quote;
    if (quote !== undefined) {
      if (!quote.touched) this.touchedQuotes.push(state);
      quote.push(ts, price, trade.size);
    }
    const slots = state.slots;
    if (slots.length === 0) return;
    const regular = state.hasRegularBooks && this.isRegularSession(ts);
    for (let i = 0; i < slots.length; i += 1) {
      const { window, down, all, regularOnly } = slots[i] as BookSlot;
      const from = down ? state.highPrice(window) : state.lowPrice(window);
      const move = down ? ((from - price) / from) * 100 : ((price - from) / from) * 100;
      if (all !== undefined) {
        if (all.alerts(move)) fireBook(all, state, window, down, trade, move, fired);
        all.rearmUnder(move);
      }
      if (regularOnly !== undefined) {
        if (regular && regularOnly.alerts(move))
          fireBook(regularOnly, state, window, down, trade, move, fired);
        regularOnly.rearmUnder(move);
      }
    }
  }

  private isRegularSession(ts: number): boolean {
    const minute = ts - (ts % 60_000);
    if (minute !== this.sessionMinute) {
      this.sessionMinute = minute;
      this.sessionRegular = this.clock.sessionAt(ts) === 'regular';
    }
    return this.sessionRegular;
  }
}
