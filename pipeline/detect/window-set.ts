import {
  emptyArray,
  ENTRY as LAYOUT_ENTRY,
  MIN_ENTRIES as LAYOUT_MIN_ENTRIES,
  RENUMBER,
  relaidOut,
  SHRINK,
  type WindowLayout,
} from './window-layout.js';
import type { WindowUndoLog } from './window-undo-log.js';

/** A price and the time it traded. */
export interface PricePoint {
  readonly price: number;
  readonly ts: number;
}

/**
 * Highest and lowest price over each of several rolling time windows of one symbol, in O(1) amortised
 * time per trade and window. Monotonic deques (the min deque stores negated prices so both are max
 * deques): each trade enters and leaves each deque at most once. A trade at `t` is in window W at `now`
 * when `now − W ≤ t ≤ now`. On equal prices the latest trade is kept.
 *
 * With `bucketMs > 1`, a trade that would sit behind a higher (lower) one of the same time bucket is merged
 * into it instead: the earlier extreme then stays until the merged trade leaves the window. That bounds each
 * deque by windowMs / bucketMs + 1 entries whatever the trade rate, at the price of an extreme that may be
 * up to `bucketMs − 1` ms older than the window. With `bucketMs = 1` (trades of the same ms) it is exact.
 *
 * Layout ({@link WindowLayout}): all the windows of a symbol live in one array of doubles — the deques'
 * heads and ends, then their rings — and windows of one bucket share their deques. At 10,000 symbols a
 * symbol's first trade in a batch finds none of its state in the cache, and that memory latency, not the
 * work, was most of the extra cost of a quiet day over 100 symbols: five windows were fifteen heap
 * objects (each a window, a ring and its elements), a dependent load each; now they are two, the array
 * and its elements, and three deque pairs instead of five. A plain array rather than a Float64Array:
 * with 10,000 symbols a typed array's own ArrayBuffer and backing store cost more than they save.
 */
export class WindowSet {
  /** The array; replaced whole when a deque outgrows its ring or the set has far more room than it uses. */
  private d: number[];
  /** While protected: the array to go back to, and the log that saves its overwritten entries. */
  private saved: number[] | undefined = undefined;
  private undo: WindowUndoLog | undefined = undefined;

  constructor(readonly layout: WindowLayout) {
    this.d = emptyArray(layout);
  }

  /**
   * The array, for the layout's extra numbers (from `layout.extra`): its owner keeps them here to have
   * them in the same fetch as the windows, and saved and restored with them. Read it afresh after a push.
   */
  get array(): number[] {
    return this.d;
  }

  /** Adds a trade at `ts` (not before the latest pushed) and drops trades that have left each window. */
  push(ts: number, price: number): void {
    for (let group = 0; group < this.layout.groups; group += 1) {
      this.append(group * 2, ts, price);
      this.append(group * 2 + 1, ts, -price);
    }
  }

  /** The highest price in window `window` (its index in the layout's shapes); meaningless before a trade. */
  highPrice(window: number): number {
    return this.headValue(window, 0, 1);
  }

  highTs(window: number): number {
    return this.headValue(window, 0, 0);
  }

  lowPrice(window: number): number {
    return -this.headValue(window, 1, 1);
  }

  lowTs(window: number): number {
    return this.headValue(window, 1, 0);
  }

  /** The highest price in the window; undefined before the first trade. */
  high(window: number): PricePoint | undefined {
    return this.size(window) === 0 ? undefined : { ts: this.highTs(window), price: this.highPrice(window) };
  }

  /** The lowest price in the window; undefined before the first trade. */
  low(window: number): PricePoint | undefined {
    return this.size(window) === 0 ? undefined : { ts: this.lowTs(window), price: this.lowPrice(window) };
  }

  /** How many points the window's two deques hold. */
  size(window: number): number {
    const d = this.d;
    const deque = this.layout.groupOf[window] as number;
    const head = this.layout.heads + window * 2;
    return (
      (d[deque * 6 + 2] as number) -
      (d[head] as number) +
      (d[deque * 6 + 5] as number) -
      (d[head + 1] as number)
    );
  }

  /**
   * From now until `log` commits or rolls back, the set can be put back as it is now: its heads, ends and
   * extra numbers are copied aside, and a ring entry the batch overwrites is saved into `log` first, once.
   */
  protect(log: WindowUndoLog): void {
    const d = this.d;
    const layout = this.layout;
    const saved = layout.saved;
    for (let deque = 0; deque < layout.deques; deque += 1) {
      const end = d[deque * 3 + 2] as number;
      d[saved + deque * 2] = end;
      d[saved + deque * 2 + 1] =
        end - (d[layout.heads + layout.longestOf(deque) * 2 + (deque & 1)] as number);
    }
    const heads = layout.heads;
    const savedHeads = saved + layout.deques * 2;
    for (let i = 0; i < layout.windowMs.length * 2; i += 1) d[savedHeads + i] = d[heads + i] as number;
    for (let i = 0; i < layout.extras; i += 1) d[layout.savedExtra + i] = d[layout.extra + i] as number;
    this.saved = d;
    this.undo = log;
    log.track(this);
  }

  /** @internal Ends the protection, keeping the changes. */
  unprotect(): void {
    this.saved = undefined;
    this.undo = undefined;
  }

  /** @internal Writes a saved entry's old contents back into the saved array. */
  restoreEntry(at: number, ts: number, value: number, latestTs: number): void {
    const array = this.saved as number[];
    array[at] = ts;
    array[at + 1] = value;
    array[at + 2] = latestTs;
  }

  /** @internal Goes back to the array, heads and ends saved by {@link protect}. */
  restoreProtected(): void {
    const from = this.d;
    const to = this.saved as number[];
    const layout = this.layout;
    for (let deque = 0; deque < layout.deques; deque += 1) {
      to[deque * 3 + 2] = from[layout.saved + deque * 2] as number;
    }
    const savedHeads = layout.saved + layout.deques * 2;
    for (let i = 0; i < layout.windowMs.length * 2; i += 1) {
      to[layout.heads + i] = from[savedHeads + i] as number;
    }
    for (let i = 0; i < layout.extras; i += 1) to[layout.extra + i] = from[layout.savedExtra + i] as number;
    this.d = to;
    this.unprotect();
  }

  private headValue(window: number, side: number, field: number): number {
    const d = this.d;
    const deque = (this.layout.groupOf[window] as number) * 2 + side;
    const head = (d[this.layout.heads + window * 2 + side] as number) | 0;
    const mask = (d[deque * 3 + 1] as number) | 0;
    return d[((d[deque * 3] as number) | 0) + (head & mask) * ENTRY + field] as number;
  }

  /** Appends `value` at `ts` to deque `deque`, popping the entries it dominates, then moves its windows' heads. */
  private append(deque: number, ts: number, value: number): void {
    const layout = this.layout;
    const side = deque & 1;
    const group = deque >> 1;
    const from = layout.groupFrom[group] as number;
    const to = layout.groupFrom[group + 1] as number;
    const heads = layout.heads + side;
    const startAt = heads + (layout.order[from] as number) * 2;
    let d = this.d;
    // Header numbers as int32 (`| 0`) once, not as doubles at every index computed from them.
    if ((d[deque * 3 + 2] as number) >= MAX_POSITION) {
      this.d = relaidOut(this.layout, d, RENUMBER);
      d = this.d;
    }
    let base = (d[deque * 3] as number) | 0;
    let mask = (d[deque * 3 + 1] as number) | 0;
    let start = (d[startAt] as number) | 0;
    let end = (d[deque * 3 + 2] as number) | 0;
    while (end > start && (d[base + ((end - 1) & mask) * ENTRY + 1] as number) <= value) end -= 1;
    const back = base + ((end - 1) & mask) * ENTRY;
    let last: number;
    if (end > start && sameBucket(d[back] as number, ts, layout.bucketMs[group] as number)) {
      last = end - 1;
      if (d === this.saved) this.beforeWrite(deque, last);
      d[back + 2] = ts;
    } else {
      if (end - start > mask) {
        d[deque * 3 + 2] = end;
        this.d = relaidOut(layout, d, deque);
        d = this.d;
        base = (d[deque * 3] as number) | 0;
        mask = (d[deque * 3 + 1] as number) | 0;
        // Renumbered: every position of the deque moved down by the same multiple of its room.
        const shift = start - ((d[startAt] as number) | 0);
        start -= shift;
        end -= shift;
      }
      last = end;
      if (d === this.saved) this.beforeWrite(deque, last);
      const slot = base + (last & mask) * ENTRY;
      d[slot] = ts;
      d[slot + 1] = value;
      d[slot + 2] = ts;
      end += 1;
    }
    d[deque * 3 + 2] = end;
    for (let i = from; i < to; i += 1) {
      const window = layout.order[i] as number;
      const at = heads + window * 2;
      let head = (d[at] as number) | 0;
      // A head on a popped entry moves to the one that took its place.
      if (head > last) head = last;
      const oldest = ts - (layout.windowMs[window] as number);
      while ((d[base + (head & mask) * ENTRY + 2] as number) < oldest) head += 1;
      d[at] = head;
    }
    const length = end - ((d[startAt] as number) | 0);
    // Give back what a burst took: 10,000 symbols add up.
    if (mask >= MIN_ENTRIES && length * 4 <= mask + 1 && length < end - start) this.shrinkIfSparse();
  }

  /**
   * Before a write into the saved array at position `position` of deque `deque`. Positions counted from
   * the deque's saved start below its saved-from have not been written since protect(); from there on
   * they are saved or held no live entry. A write below saved-from first saves everything from its
   * position up to it, so each entry is saved at most once a batch. Writes land there after pops from
   * the back, or when the ring wraps round.
   */
  private beforeWrite(deque: number, position: number): void {
    const d = this.d;
    const layout = this.layout;
    const savedFromAt = layout.saved + deque * 2 + 1;
    const savedFrom = d[savedFromAt] as number;
    const savedStart = d[
      layout.saved + layout.deques * 2 + layout.longestOf(deque) * 2 + (deque & 1)
    ] as number;
    const mask = d[deque * 3 + 1] as number;
    const relative = (position - savedStart) & mask;
    if (relative >= savedFrom) return;
    const base = d[deque * 3] as number;
    const log = this.undo as WindowUndoLog;
    for (let p = relative; p < savedFrom; p += 1) log.save(this, base + ((savedStart + p) & mask) * ENTRY, d);
    d[savedFromAt] = relative;
  }

  /** A new array when the deques hold a quarter or less of the room they have. */
  private shrinkIfSparse(): void {
    const d = this.d;
    let length = 0;
    let room = 0;
    for (let deque = 0; deque < this.layout.deques; deque += 1) {
      length += (d[deque * 3 + 2] as number) - (d[this.layout.startIndex(deque)] as number);
      room += (d[deque * 3 + 1] as number) + 1;
    }
    if (length * 4 <= room && room > this.layout.deques * MIN_ENTRIES)
      this.d = relaidOut(this.layout, d, SHRINK);
  }
}

/**
 * The layout module's constants, copied into this module's own: under tsx an imported binding is a getter
 * call at each use, and in the loops of `append` that tripled the cost of a trade.
 */
const ENTRY = LAYOUT_ENTRY;
const MIN_ENTRIES = LAYOUT_MIN_ENTRIES;
/** Positions stay int32 (`| 0`): past this, a deque's positions are renumbered from near 0. */
const MAX_POSITION = 2 ** 30;

function sameBucket(a: number, b: number, bucketMs: number): boolean {
  return bucketMs === 1 ? a === b : Math.floor(a / bucketMs) === Math.floor(b / bucketMs);
}
