import type { SymbolState } from './symbol-state.js';

/**
 * The detector's unwatched symbols, least recently traded first, so that their number stays bounded
 * (issue 10, finding 15: 200,000 junk symbols took 576 MB of heap). Touching a listed symbol costs a
 * field write, not a Map re-insert: the order is fixed up lazily when eviction reaches an entry that
 * traded since it was listed (a "second chance" approximation of LRU), so a batch pays per symbol it
 * touched and per symbol it forgets, never per symbol known.
 */
export class UnwatchedSymbols {
  private readonly lru = new Map<string, SymbolState>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.lru.size;
  }

  /** `state` traded in batch `batch` (numbers only grow). */
  touched(state: SymbolState, batch: number): void {
    state.lastBatch = batch;
    if (state.lruStamp >= 0 || state.watched) return;
    state.lruStamp = batch;
    // A replaced state (a rewind) takes its symbol's old place; the old object is forgotten with it.
    this.lru.set(state.symbol, state);
  }

  /**
   * Forgets, oldest first, unwatched symbols whose last trade is before `idleBefore`, and any beyond the
   * bound; `forget` is called with each. Symbols that became watched leave the list here.
   */
  evict(idleBefore: number, forget: (state: SymbolState) => void): void {
    // Each entry is looked at most twice a call, so a list of pinned symbols cannot spin.
    let budget = 2 * this.lru.size;
    for (const [symbol, state] of this.lru) {
      if (this.lru.size <= this.max && state.latestTs >= idleBefore) return;
      if (budget-- === 0) return;
      this.lru.delete(symbol);
      const listedAt = state.lruStamp;
      state.lruStamp = -1;
      if (state.watched) continue;
      // Traded since it was listed, or in the hands of a batch still running (another shard's): keep it.
      if (state.openBatches > 0 || (state.lastBatch > listedAt && state.latestTs >= idleBefore)) {
        // Traded since it was listed: back to the young end.
        state.lruStamp = state.lastBatch;
        this.lru.set(symbol, state);
        continue;
      }
      forget(state);
    }
  }

  clear(): void {
    for (const state of this.lru.values()) state.lruStamp = -1;
    this.lru.clear();
  }
}
