import type { MoveDirection } from '../../shared/domain/alert.js';
import type { BadTickFilter } from '../../shared/domain/bad-tick-filter.js';
import type { NewYorkClock } from '../../shared/domain/new-york-clock.js';
import type { Watch } from '../../shared/domain/watch.js';
import { WINDOW_MS, WINDOWS, type WindowName } from '../../shared/domain/window.js';
import { QUOTE_FIELDS, QuoteTracker } from './quote-tracker.js';
import { levelKey, ThresholdBook, WatchMachine } from './threshold-book.js';
import type { WatcherEntry } from './watcher-cache.js';
import { WindowLayout } from './window-layout.js';
import { WindowSet } from './window-set.js';

/**
 * Time buckets per window (see WindowSet). The short windows are exact (only trades of the same
 * millisecond merge); 1h merges trades of the same 10 seconds and 1d of the same 5 minutes, so their
 * deques stay within 361 and 289 entries per symbol however fast it trades. A 1h extreme can then be up
 * to 10 s older than the window, a 1d one up to 5 min. Hourly bars stay exact: their four points are
 * 20 minutes apart and a close (t0 + 1h − 1 ms) and the next open (t0 + 1h) fall in different buckets.
 */
export const WINDOW_BUCKET_MS: Readonly<Record<WindowName, number>> = {
  '1m': 1,
  '5m': 1,
  '15m': 1,
  '1h': 10_000,
  '1d': 300_000,
};

/**
 * The detector's windows, in WINDOWS order: 1m, 5m and 15m share their deques, 1h and 1d have their own.
 * Beside them, the symbol's latest time and its quote's numbers (see SymbolState).
 */
export const SYMBOL_WINDOWS = new WindowLayout(
  WINDOWS.map((window) => ({ windowMs: WINDOW_MS[window], bucketMs: WINDOW_BUCKET_MS[window] })),
  1 + QUOTE_FIELDS,
);
const LATEST_TS = SYMBOL_WINDOWS.extra;

export const DIRECTIONS: readonly MoveDirection[] = ['down', 'up'];

/** Shared by every symbol without levels to restore, which is nearly all of them. */
const NO_LEVELS: ReadonlyMap<string, number> = new Map();
/**
 * The books and slots of every symbol nobody watches (nine in ten at 10,000 symbols), never written to:
 * a checkpoint and a trade read the slots' length, and an empty array of each state's own was one more
 * fetch from memory per symbol a batch touches.
 */
const NO_BOOKS: readonly (ThresholdBook | undefined)[] = [];
const NO_SLOTS: readonly BookSlot[] = [];

/** Index of the book for a window, direction and hours setting: window × 4 + direction × 2 + regular. */
export function bookIndex(windowIndex: number, directionIndex: number, regularOnly: boolean): number {
  return windowIndex * 4 + directionIndex * 2 + (regularOnly ? 1 : 0);
}

/** The books of one window and direction, with the window they read: what a trade has to check. */
export interface BookSlot {
  /** The window's index in WINDOWS (and SYMBOL_WINDOWS). */
  readonly window: number;
  readonly down: boolean;
  readonly all: ThresholdBook | undefined;
  readonly regularOnly: ThresholdBook | undefined;
}

/**
 * Everything the detector keeps about one symbol. Its numbers (the windows, its latest time, its quote's)
 * live in one array of doubles, its WindowSet's, and the state *is* that WindowSet (a subclass, not a
 * field): at 10,000 symbols its first trade in a batch finds none of it in the cache, and each object or
 * boxed double field (V8 keeps a double field in a heap number of its own) on the way is one more
 * dependent fetch from memory. A batch's checkpoint saves them all in that array.
 */
export class SymbolState extends WindowSet {
  readonly quote: QuoteTracker | undefined;
  /** Books by {@link bookIndex}; undefined where nobody watches. */
  books: readonly (ThresholdBook | undefined)[] = NO_BOOKS;
  /** One per window and direction that has a book, in a flat list so a trade walks only those. */
  slots: readonly BookSlot[] = NO_SLOTS;
  hasRegularBooks = false;
  /** Levels to start machines from when the books are next built (after a restore or rollback). */
  seedLevels: ReadonlyMap<string, number> = NO_LEVELS;
  /** The last batch it traded in, and the batch it was listed as unwatched in (−1: not listed). */
  lastBatch = 0;
  lruStamp = -1;
  /** Batches that hold a checkpoint of it and have not ended: it must not be evicted meanwhile. */
  openBatches = 0;
  /**
   * True once it is no longer its symbol's state in the detector (replaced by a rewind or a restore,
   * forgotten, or created by a batch that rolled back): lets a holder of the object check that without a
   * lookup by symbol, each a cache miss in a map of 10,000 symbols.
   */
  detached = false;
  /** Its entry in the watcher cache, kept so that the handler asks the cache without a lookup by symbol. */
  watcherEntry: WatcherEntry | undefined = undefined;
  private watchesRef: readonly Watch[] | undefined;

  constructor(
    readonly symbol: string,
    readonly filter: BadTickFilter | undefined,
    /** Keep a quote (QuoteTracker) on this clock; undefined: none. */
    quoteClock?: NewYorkClock,
  ) {
    super(SYMBOL_WINDOWS);
    this.latestTs = Number.NEGATIVE_INFINITY;
    this.quote =
      quoteClock === undefined ? undefined : new QuoteTracker(symbol, quoteClock, this, LATEST_TS + 1);
  }

  /** The time of its latest trade (entered into the windows: later than any trade that came before). */
  get latestTs(): number {
    return this.array[LATEST_TS] as number;
  }

  set latestTs(ts: number) {
    this.array[LATEST_TS] = ts;
  }

  /**
   * Builds the books when the watcher list changed (the watcher cache hands out the same array until
   * its TTL runs out, so this is a pointer comparison per trade). Levels carry over by watch key.
   */
  syncWatches(watches: readonly Watch[]): void {
    if (watches === this.watchesRef) return;
    const levels = this.levels();
    this.watchesRef = watches;
    const machines: WatchMachine[][] = [];
    const active = new Set<number>();
    this.hasRegularBooks = false;
    for (const watch of watches) {
      const windowIndex = WINDOWS.indexOf(watch.window);
      if (windowIndex < 0) continue;
      DIRECTIONS.forEach((direction, directionIndex) => {
        if (watch.direction !== 'both' && watch.direction !== direction) return;
        const regular = watch.hours === 'regular';
        const index = bookIndex(windowIndex, directionIndex, regular);
        const level = levels.size === 0 ? 0 : (levels.get(levelKey(watch, direction)) ?? 0);
        const machine = new WatchMachine(watch, direction, level);
        const list = machines[index];
        if (list === undefined) machines[index] = [machine];
        else list.push(machine);
        active.add(windowIndex);
        if (regular) this.hasRegularBooks = true;
      });
    }
    const books: (ThresholdBook | undefined)[] = [];
    machines.forEach((list, index) => {
      books[index] = new ThresholdBook(list);
    });
    const slots: BookSlot[] = [];
    for (const windowIndex of [...active].sort((a, b) => a - b)) {
      DIRECTIONS.forEach((_, directionIndex) => {
        const all = books[bookIndex(windowIndex, directionIndex, false)];
        const regularOnly = books[bookIndex(windowIndex, directionIndex, true)];
        if (all === undefined && regularOnly === undefined) return;
        slots.push({ window: windowIndex, down: directionIndex === 0, all, regularOnly });
      });
    }
    this.books = books.length === 0 ? NO_BOOKS : books;
    this.slots = slots.length === 0 ? NO_SLOTS : slots;
    this.seedLevels = NO_LEVELS;
  }

  /** True when anyone watches the symbol (as of the last watcher list it was given). */
  get watched(): boolean {
    return this.watchesRef !== undefined && this.watchesRef.length > 0;
  }

  /** Drops the books; the next trade rebuilds them from `levels` (after a rollback). */
  rebuildBooksFrom(levels: ReadonlyMap<string, number>): void {
    this.watchesRef = undefined;
    this.books = NO_BOOKS;
    this.slots = NO_SLOTS;
    this.hasRegularBooks = false;
    this.seedLevels = levels;
  }

  /** Levels above 0 by watch key. */
  levels(): ReadonlyMap<string, number> {
    if (this.watchesRef === undefined) return this.seedLevels;
    if (this.slots.length === 0) return NO_LEVELS;
    const levels = new Map<string, number>();
    for (const book of this.books) {
      for (const machine of book?.machines ?? []) {
        if (machine.level > 0) levels.set(machine.key, machine.level);
      }
    }
    return levels;
  }
}
