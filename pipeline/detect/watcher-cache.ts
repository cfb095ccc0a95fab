import type { Watch } from '../../shared/domain/watch.js';
import type { WatchRepository } from '../../shared/ports/watch-repository.js';

interface Entry {
  readonly loadedAt: number;
  readonly watches: Promise<readonly Watch[]>;
}

/**
 * "Who watches BAC", cached per symbol for `ttlMs`: at most one query per symbol per TTL, and none per trade.
 * Concurrent lookups of one symbol share a single query.
 */
export class WatcherCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly repository: Pick<WatchRepository, 'listBySymbol'>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(symbol: string): Promise<readonly Watch[]> {
    const entry = this.entries.get(symbol);
    if (entry !== undefined && this.now() - entry.loadedAt < this.ttlMs) return entry.watches;
    const watches = this.repository.listBySymbol(symbol);
    const fresh = { loadedAt: this.now(), watches };
    this.entries.set(symbol, fresh);
    // A failed query must not be cached for a whole TTL.
    watches.catch(() => {
      if (this.entries.get(symbol) === fresh) this.entries.delete(symbol);
    });
    return watches;
  }
}
