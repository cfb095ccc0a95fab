import type { BadTickMark } from '../../shared/domain/bad-tick-filter.js';
import type { Trade } from '../../shared/domain/trade.js';
import type { QuoteMark } from './quote-tracker.js';
import type { SymbolState } from './symbol-state.js';
import { WindowUndoLog } from './window-undo-log.js';

const NO_LEVELS: ReadonlyMap<string, number> = new Map();
const NO_TRADES: Trade[] = [];

/**
 * One symbol as the batch found it: its state object (or none) and the parts a trade changes. Records
 * are reused from batch to batch (a quiet batch saves about 95 symbols at 10,000 symbols: allocating
 * them, a filter clone and a quote clone each, was a good part of the handler's GC).
 */
class SymbolCheckpoint {
  symbol = '';
  state: SymbolState | undefined = undefined;
  readonly filter: BadTickMark = {
    held: [],
    heldLength: 0,
    dropped: 0,
    referencePrice: 0,
    referenceTs: 0,
  };
  readonly quote: QuoteMark = { touched: false, dayKey: '', closed: undefined };
  levels: ReadonlyMap<string, number> = NO_LEVELS;
}

/**
 * What a batch changed in the detector, so that a batch that cannot be persisted is undone exactly
 * (see "Detector state on a failed write" in docs/architecture.md). Per symbol on its first trade in the
 * batch: the state object itself, a mark of its bad-tick filter and of its quote tracker's flag, day and
 * closed minutes (into records the batch reuses), and its alert levels; its numbers — the windows, its
 * latest time and its quote's — are not copied but protected by a WindowUndoLog, which saves the few
 * heads and numbers beside them and only the ring entries the batch overwrites. A symbol the batch replaced (a rewind, a cold restore) gets its old object back; one
 * it created is forgotten. One per running batch: the local runner runs one batch per shard at a time,
 * so batches of different shards interleave (a symbol's batches do not: the partition key keeps a
 * symbol on one shard). The detector reuses ended batches.
 */
export class BatchUndo {
  private readonly checkpoints: SymbolCheckpoint[] = [];
  private count = 0;
  private readonly deques = new WindowUndoLog();

  /** How many symbols were saved since the last commit or rollback. */
  get size(): number {
    return this.count;
  }

  /** The `index`th symbol saved (0 ≤ index < size). */
  symbolAt(index: number): string {
    return (this.checkpoints[index] as SymbolCheckpoint).symbol;
  }

  /** The state the `index`th symbol had when saved (undefined: none, or no longer its state). */
  stateAt(index: number): SymbolState | undefined {
    const state = (this.checkpoints[index] as SymbolCheckpoint).state;
    return state === undefined || state.detached ? undefined : state;
  }

  /** Saves `symbol` before the batch first changes it; `state` is its current state, if any. */
  save(symbol: string, state: SymbolState | undefined): void {
    let checkpoint = this.checkpoints[this.count];
    if (checkpoint === undefined) {
      checkpoint = new SymbolCheckpoint();
      this.checkpoints.push(checkpoint);
    }
    this.count += 1;
    checkpoint.symbol = symbol;
    checkpoint.state = state;
    if (state === undefined) return;
    state.openBatches += 1;
    state.filter?.markInto(checkpoint.filter);
    state.quote?.markInto(checkpoint.quote);
    checkpoint.levels = state.levels();
    state.protect(this.deques);
  }

  /** Keeps the batch's changes. */
  commit(): void {
    this.deques.commit();
    for (let i = 0; i < this.count; i += 1) {
      const checkpoint = this.checkpoints[i] as SymbolCheckpoint;
      if (checkpoint.state) checkpoint.state.openBatches -= 1;
      forget(checkpoint);
    }
    this.count = 0;
  }

  /** Puts every saved symbol back into `symbols` as it was. Returns the states put back. */
  rollback(symbols: Map<string, SymbolState>): SymbolState[] {
    this.deques.rollback();
    const restored: SymbolState[] = [];
    for (let i = this.count - 1; i >= 0; i -= 1) {
      const checkpoint = this.checkpoints[i] as SymbolCheckpoint;
      const { symbol, state } = checkpoint;
      const current = symbols.get(symbol);
      if (current !== undefined && current !== state) current.detached = true;
      if (state === undefined) {
        symbols.delete(symbol);
        continue;
      }
      state.detached = false;
      state.openBatches -= 1;
      state.filter?.restoreMark(checkpoint.filter);
      state.quote?.restoreMark(checkpoint.quote);
      state.rebuildBooksFrom(checkpoint.levels);
      symbols.set(symbol, state);
      restored.push(state);
      forget(checkpoint);
    }
    this.count = 0;
    return restored;
  }
}

/** Lets go of what a checkpoint pointed to, so that a reused record keeps no forgotten symbol alive. */
function forget(checkpoint: SymbolCheckpoint): void {
  checkpoint.state = undefined;
  checkpoint.filter.held = NO_TRADES;
  checkpoint.levels = NO_LEVELS;
  checkpoint.quote.closed = undefined;
}

/** Ended batches kept for reuse: more than the shards one detector runs at a time. */
const MAX_ENDED_BATCHES = 8;

/** Ended batches, so that the next batch reuses one's records (one per shard running at a time). */
export class EndedBatches {
  private readonly ended: BatchUndo[] = [];

  take(): BatchUndo {
    return this.ended.pop() ?? new BatchUndo();
  }

  /** Keeps an ended batch (once, however often it is ended). */
  give(batch: BatchUndo): void {
    if (this.ended.length < MAX_ENDED_BATCHES && !this.ended.includes(batch)) this.ended.push(batch);
  }
}
