import type { BadTickFilter } from '../../shared/domain/bad-tick-filter.js';
import type { QuoteTracker } from './quote-tracker.js';
import { DequeUndoLog } from './rolling-extremes.js';
import type { SymbolState } from './symbol-state.js';

const NO_LEVELS: ReadonlyMap<string, number> = new Map();

/** One symbol as the batch found it: its state object (or none) and the parts a trade replaces. */
interface SymbolCheckpoint {
  readonly symbol: string;
  readonly state: SymbolState | undefined;
  readonly latestTs: number;
  readonly filter: BadTickFilter | undefined;
  readonly quote: QuoteTracker | undefined;
  readonly levels: ReadonlyMap<string, number>;
}

/**
 * What a batch changed in the detector, so that a batch that cannot be persisted is undone exactly
 * (see "Detector state on a failed write" in docs/architecture.md). Per symbol on its first trade in the
 * batch: the state object itself, its latest time, copies of its bad-tick filter and quote tracker (a
 * few numbers each) and its alert levels; the windows, which hold most of a symbol's state, are not
 * copied but protected by a DequeUndoLog, which saves only the entries the batch overwrites. A symbol the
 * batch replaced (a rewind, a cold restore) gets its old object back; one it created is forgotten.
 * One per batch: the local runner runs one batch per shard at a time, so batches of different shards
 * interleave (a symbol's batches do not: the partition key keeps a symbol on one shard).
 */
export class BatchUndo {
  private readonly checkpoints: SymbolCheckpoint[] = [];
  private readonly deques = new DequeUndoLog();

  /** The symbols saved since the last commit or rollback. */
  get symbols(): readonly string[] {
    return this.checkpoints.map((checkpoint) => checkpoint.symbol);
  }

  /** Saves `symbol` before the batch first changes it; `state` is its current state, if any. */
  save(symbol: string, state: SymbolState | undefined): void {
    if (state === undefined) {
      this.checkpoints.push({
        symbol,
        state,
        latestTs: 0,
        filter: undefined,
        quote: undefined,
        levels: NO_LEVELS,
      });
      return;
    }
    state.openBatches += 1;
    this.checkpoints.push({
      symbol,
      state,
      latestTs: state.latestTs,
      filter: state.filter?.clone(),
      quote: state.quote?.clone(),
      levels: state.levels(),
    });
    for (const window of state.windows) window.protect(this.deques);
  }

  /** Keeps the batch's changes. */
  commit(): void {
    this.deques.commit();
    for (const checkpoint of this.checkpoints) {
      if (checkpoint.state) checkpoint.state.openBatches -= 1;
    }
    this.checkpoints.length = 0;
  }

  /** Puts every saved symbol back into `symbols` as it was. Returns the states put back. */
  rollback(symbols: Map<string, SymbolState>): SymbolState[] {
    this.deques.rollback();
    const restored: SymbolState[] = [];
    for (let i = this.checkpoints.length - 1; i >= 0; i -= 1) {
      const { symbol, state, latestTs, filter, quote, levels } = this.checkpoints[i] as SymbolCheckpoint;
      if (state === undefined) {
        symbols.delete(symbol);
        continue;
      }
      state.openBatches -= 1;
      state.latestTs = latestTs;
      state.filter = filter;
      state.quote = quote;
      state.rebuildBooksFrom(levels);
      symbols.set(symbol, state);
      restored.push(state);
    }
    this.checkpoints.length = 0;
    return restored;
  }
}
