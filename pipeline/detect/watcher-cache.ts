import { setBounded } from '../../shared/collections/bounded-map.js';
import type { Watch } from '../../shared/domain/watch.js';
import type { WatchRepository } from '../../shared/ports/watch-repository.js';

/** A symbol's entry in a {@link WatcherCache}, kept by its holder to ask again without a lookup by symbol. */
export interface WatcherEntry {
  /** Milliseconds since the cache's epoch: a small integer, which V8 keeps in the entry, not in a heap number. */
  readonly loadedAt: number;
  readonly watches: Promise<readonly Watch[]>;
  /** The answer, once it came. */
  resolved?: readonly Watch[];
}

/** Symbols cached at most: a stream of junk symbols must not grow the cache without bound. */
export const DEFAULT_MAX_CACHED_SYMBOLS = 20_000;

/**
 * "Who watches BAC", cached per symbol for `ttlMs`: at most one query per symbol per TTL, and none per trade.
 * Concurrent lookups of one symbol share a single query. At most `maxSymbols` symbols are kept; beyond
 * that the one loaded longest ago goes first.
 */
export class WatcherCache {
  private readonly entries = new Map<string, WatcherEntry>();
  private readonly epoch: number;

  constructor(
    private readonly repository: Pick<WatchRepository, 'listBySymbol'>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxSymbols = DEFAULT_MAX_CACHED_SYMBOLS,
  ) {
    this.epoch = now();
  }

  /**
   * The watchers of `symbol` when a fresh answer is already here, without waiting: the handler then
   * decides the symbol's trades without an await (at 10,000 symbols and 2 trades a record, one await per
   * symbol per batch cost about 10 % of the handler).
   */
  peek(symbol: string): readonly Watch[] | undefined {
    const entry = this.entries.get(symbol);
    return entry === undefined ? undefined : this.peekEntry(entry);
  }

  /** The entry of `symbol`, if one is cached: {@link peekEntry} answers from it while it is fresh. */
  entryOf(symbol: string): WatcherEntry | undefined {
    return this.entries.get(symbol);
  }

  /**
   * {@link peek} from an entry kept from {@link entryOf}, without the lookup by symbol (at 10,000 symbols,
   * a cache miss or two on every symbol a batch touches). An entry reloaded or evicted since is stale or
   * still holds an answer as fresh as its time says.
   */
  peekEntry(entry: WatcherEntry): readonly Watch[] | undefined {
    return this.age(entry) < this.ttlMs ? entry.resolved : undefined;
  }

  get(symbol: string): Promise<readonly Watch[]> {
    const entry = this.entries.get(symbol);
    if (entry !== undefined && this.age(entry) < this.ttlMs) return entry.watches;
    const watches = this.repository.listBySymbol(symbol);
    const fresh: WatcherEntry = { loadedAt: this.now() - this.epoch, watches };
    // Re-inserted, so the Map's order is load order: the first entry is the oldest, next to expire.
    setBounded(this.entries, symbol, fresh, this.maxSymbols);
    watches.then(
      (resolved) => {
        fresh.resolved = resolved;
      },
      // A failed query must not be cached for a whole TTL.
      () => {
        if (this.entries.get(symbol) === fresh) this.entries.delete(symbol);
      },
    );
    return watches;
  }

  private age(entry: WatcherEntry): number {
    return this.now() - this.epoch - entry.loadedAt;
  }
}
