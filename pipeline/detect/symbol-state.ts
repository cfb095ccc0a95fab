import type { MoveDirection } from '../../shared/domain/alert.js';
import type { BadTickFilter } from '../../shared/domain/bad-tick-filter.js';
import type { Watch } from '../../shared/domain/watch.js';
import { WINDOW_MS, WINDOWS, type WindowName } from '../../shared/domain/window.js';
import type { QuoteTracker } from './quote-tracker.js';
import { RollingExtremes } from './rolling-extremes.js';
import { levelKey, ThresholdBook, WatchMachine } from './threshold-book.js';

/**
 * Time buckets per window (see RollingExtremes). The short windows are exact; 1h and 1d merge trades
 * of the same second or minute, so their deques stay under 3,601 and 1,441 entries per symbol however
 * fast it trades. A 1h extreme can then be up to 1 s older than the window, a 1d one up to 1 min.
 */
export const WINDOW_BUCKET_MS: Readonly<Record<WindowName, number>> = {
  '1m': 1,
  '5m': 1,
  '15m': 1,
  '1h': 1_000,
  '1d': 60_000,
};

export const DIRECTIONS: readonly MoveDirection[] = ['down', 'up'];

/** Index of the book for a window, direction and hours setting: window × 4 + direction × 2 + regular. */
export function bookIndex(windowIndex: number, directionIndex: number, regularOnly: boolean): number {
  return windowIndex * 4 + directionIndex * 2 + (regularOnly ? 1 : 0);
}

/** Everything the detector keeps about one symbol. */
export class SymbolState {
  latestTs = Number.NEGATIVE_INFINITY;
  readonly windows: RollingExtremes[];
  /** Books by {@link bookIndex}; undefined where nobody watches. */
  books: (ThresholdBook | undefined)[] = [];
  /** Window indexes that have at least one book. */
  activeWindows: number[] = [];
  hasRegularBooks = false;
  /** Levels to start machines from when the books are next built (after a restore or rollback). */
  seedLevels = new Map<string, number>();
  private watchesRef: readonly Watch[] | undefined;

  constructor(
    readonly symbol: string,
    readonly filter: BadTickFilter | undefined,
    readonly quote: QuoteTracker | undefined,
    windows?: RollingExtremes[],
  ) {
    this.windows =
      windows ?? WINDOWS.map((window) => new RollingExtremes(WINDOW_MS[window], WINDOW_BUCKET_MS[window]));
  }

  /**
   * Builds the books when the watcher list changed (the watcher cache hands out the same array until
   * its TTL runs out, so this is a pointer comparison per trade). Levels carry over by watch key.
   */
  syncWatches(watches: readonly Watch[]): void {
    if (watches === this.watchesRef) return;
    const levels = this.levels();
    this.watchesRef = watches;
    this.books = [];
    const active = new Set<number>();
    this.hasRegularBooks = false;
    for (const watch of watches) {
      const windowIndex = WINDOWS.indexOf(watch.window);
      if (windowIndex < 0) continue;
      DIRECTIONS.forEach((direction, directionIndex) => {
        if (watch.direction !== 'both' && watch.direction !== direction) return;
        const regular = watch.hours === 'regular';
        const index = bookIndex(windowIndex, directionIndex, regular);
        let book = this.books[index];
        if (book === undefined) {
          book = new ThresholdBook();
          this.books[index] = book;
        }
        const key = levelKey(watch, direction);
        book.add(new WatchMachine(key, watch, direction, levels.get(key) ?? 0));
        active.add(windowIndex);
        if (regular) this.hasRegularBooks = true;
      });
    }
    this.activeWindows = [...active].sort((a, b) => a - b);
    this.seedLevels = new Map();
  }

  /** Levels above 0 by watch key. */
  levels(): Map<string, number> {
    if (this.watchesRef === undefined) return new Map(this.seedLevels);
    const levels = new Map<string, number>();
    for (const book of this.books) {
      for (const machine of book?.machines ?? []) {
        if (machine.level > 0) levels.set(machine.key, machine.level);
      }
    }
    return levels;
  }

  /** A copy to roll back to if the batch cannot be persisted. */
  clone(): SymbolState {
    const copy = new SymbolState(
      this.symbol,
      this.filter?.clone(),
      this.quote?.clone(),
      this.windows.map((window) => window.clone()),
    );
    copy.latestTs = this.latestTs;
    copy.seedLevels = this.levels();
    return copy;
  }
}
