/** A price and the time it traded. */
export interface PricePoint {
  readonly price: number;
  readonly ts: number;
}

/**
 * Highest and lowest price over a rolling time window, in O(1) amortised time per trade.
 * Two monotonic deques (the min deque stores negated prices so both are max deques); each trade enters
 * and leaves each deque at most once. A trade at `t` is in the window at `now` when `now − windowMs ≤ t ≤ now`.
 * On equal prices the latest trade is kept.
 *
 * With `bucketMs > 1`, a trade that would sit behind a higher (lower) one of the same time bucket is merged
 * into it instead: the earlier extreme then stays until the merged trade leaves the window. That bounds each
 * deque by windowMs / bucketMs + 1 entries whatever the trade rate, at the price of an extreme that may be
 * up to `bucketMs − 1` ms older than the window. With `bucketMs = 1` (trades of the same ms) it is exact.
 *
 * Layout: both deques live in one ring of doubles, allocation-free per trade. Each ring position holds an
 * entry of the max deque, then one of the min deque — [ts of the value, value, latest ts merged into the
 * entry] each — and each deque has its own head and length. So a window is three heap objects (this, the
 * array, its elements), not seven: at 10,000 symbols a trade's first touch of a symbol in a batch misses
 * the cache on each of them, and that memory latency was most of the extra cost of a quiet day over 100
 * symbols. A plain array rather than a Float64Array: with 50,000 windows, each typed array's own
 * ArrayBuffer and backing store cost more than the numbers in it.
 */
export class RollingExtremes {
  private ring: number[];
  private mask: number;
  private maxHead = 0;
  private maxLength = 0;
  private minHead = 0;
  private minLength = 0;
  /** While protected: the ring, heads and lengths to go back to, and the log that saves overwritten slots. */
  private savedRing: number[] | undefined = undefined;
  private savedMaxHead = 0;
  private savedMaxLength = 0;
  private savedMinHead = 0;
  private savedMinLength = 0;
  /** Per deque: positions of the saved ring from here (counted from its saved head) on are saved or were free. */
  private savedMaxFrom = 0;
  private savedMinFrom = 0;
  private undo: DequeUndoLog | undefined = undefined;

  constructor(
    readonly windowMs: number,
    readonly bucketMs = 1,
  ) {
    this.ring = emptyRing(MIN_ENTRIES);
    this.mask = MIN_ENTRIES - 1;
  }

  /** Adds a trade at `ts` (not before the latest pushed) and drops trades that have left the window. */
  push(ts: number, price: number): void {
    const oldest = ts - this.windowMs;
    this.append(MAX, ts, price);
    if ((this.ring[this.maxHead * STRIDE + MAX + 2] as number) < oldest) this.evictBefore(MAX, oldest);
    this.append(MIN, ts, -price);
    if ((this.ring[this.minHead * STRIDE + MIN + 2] as number) < oldest) this.evictBefore(MIN, oldest);
  }

  get highPrice(): number {
    return this.ring[this.maxHead * STRIDE + MAX + 1] as number;
  }

  get highTs(): number {
    return this.ring[this.maxHead * STRIDE + MAX] as number;
  }

  get lowPrice(): number {
    return -(this.ring[this.minHead * STRIDE + MIN + 1] as number);
  }

  get lowTs(): number {
    return this.ring[this.minHead * STRIDE + MIN] as number;
  }

  /** The highest price in the window; undefined before the first trade. */
  get high(): PricePoint | undefined {
    return this.maxLength === 0 ? undefined : { ts: this.highTs, price: this.highPrice };
  }

  /** The lowest price in the window; undefined before the first trade. */
  get low(): PricePoint | undefined {
    return this.minLength === 0 ? undefined : { ts: this.lowTs, price: this.lowPrice };
  }

  /** How many points the deques hold. */
  get size(): number {
    return this.maxLength + this.minLength;
  }

  /**
   * From now until `log` commits or rolls back, the window can be put back as it is now: each deque
   * saves a slot's old contents into `log` the first time the batch overwrites it (see DequeUndoLog).
   */
  protect(log: DequeUndoLog): void {
    this.savedRing = this.ring;
    this.savedMaxHead = this.maxHead;
    this.savedMaxLength = this.maxLength;
    this.savedMaxFrom = this.maxLength;
    this.savedMinHead = this.minHead;
    this.savedMinLength = this.minLength;
    this.savedMinFrom = this.minLength;
    this.undo = log;
    log.track(this);
  }

  /** @internal Ends the protection, keeping the changes. */
  unprotect(): void {
    this.savedRing = undefined;
    this.undo = undefined;
  }

  /** @internal Writes a saved slot's old contents back into the saved ring. */
  restoreSlot(slot: number, ts: number, value: number, latestTs: number): void {
    const ring = this.savedRing as number[];
    ring[slot] = ts;
    ring[slot + 1] = value;
    ring[slot + 2] = latestTs;
  }

  /** @internal Goes back to the ring, heads and lengths saved by {@link protect}. */
  restoreProtected(): void {
    this.ring = this.savedRing as number[];
    this.mask = this.ring.length / STRIDE - 1;
    this.maxHead = this.savedMaxHead;
    this.maxLength = this.savedMaxLength;
    this.minHead = this.savedMinHead;
    this.minLength = this.savedMinLength;
    this.unprotect();
  }

  /** Appends `value` at `ts` to the deque at `side` (MAX or MIN), popping the entries it dominates. */
  private append(side: number, ts: number, value: number): void {
    const isMax = side === MAX;
    let length = isMax ? this.maxLength : this.minLength;
    let ring = this.ring;
    let back = ((isMax ? this.maxHead : this.minHead) + length - 1) & this.mask;
    while (length > 0 && (ring[back * STRIDE + side + 1] as number) <= value) {
      length -= 1;
      back = (back - 1) & this.mask;
    }
    if (length > 0 && this.sameBucket(ring[back * STRIDE + side] as number, ts)) {
      this.setLength(isMax, length);
      if (ring === this.savedRing) this.beforeWrite(side, back);
      ring[back * STRIDE + side + 2] = ts;
      return;
    }
    this.setLength(isMax, length);
    if (length === this.mask + 1) {
      this.resize((this.mask + 1) * 2);
      ring = this.ring;
    }
    const entry = ((isMax ? this.maxHead : this.minHead) + length) & this.mask;
    if (ring === this.savedRing) this.beforeWrite(side, entry);
    const slot = entry * STRIDE + side;
    ring[slot] = ts;
    ring[slot + 1] = value;
    ring[slot + 2] = ts;
    this.setLength(isMax, length + 1);
  }

  private setLength(isMax: boolean, length: number): void {
    if (isMax) this.maxLength = length;
    else this.minLength = length;
  }

  /** Drops the entries of the deque at `side` whose latest trade is before `oldestTs`. */
  private evictBefore(side: number, oldestTs: number): void {
    const isMax = side === MAX;
    const ring = this.ring;
    let head = isMax ? this.maxHead : this.minHead;
    let length = isMax ? this.maxLength : this.minLength;
    while (length > 0 && (ring[head * STRIDE + side + 2] as number) < oldestTs) {
      head = (head + 1) & this.mask;
      length -= 1;
    }
    if (isMax) {
      this.maxHead = head;
      this.maxLength = length;
    } else {
      this.minHead = head;
      this.minLength = length;
    }
    // Give back what a burst took: 10,000 symbols × 5 windows add up.
    const longest = Math.max(this.maxLength, this.minLength);
    if (this.mask >= MIN_ENTRIES * 2 && longest * 4 <= this.mask + 1) this.resize((this.mask + 1) / 2);
  }

  /**
   * Before a write into the saved ring at position `entry` of the deque at `side`. Positions (counted
   * from the deque's saved head) below its savedFrom have not been written since protect(); from savedFrom
   * on they are saved or held no live entry. A write below savedFrom first saves everything from its
   * position up to savedFrom, so each entry is saved at most once a batch. Writes land there after pops
   * from the back, or when the ring wraps round.
   */
  private beforeWrite(side: number, entry: number): void {
    const isMax = side === MAX;
    const savedHead = isMax ? this.savedMaxHead : this.savedMinHead;
    const savedFrom = isMax ? this.savedMaxFrom : this.savedMinFrom;
    const position = (entry - savedHead) & this.mask;
    if (position >= savedFrom) return;
    const ring = this.ring;
    const log = this.undo as DequeUndoLog;
    for (let p = position; p < savedFrom; p += 1) {
      log.save(this, ((savedHead + p) & this.mask) * STRIDE + side, ring);
    }
    if (isMax) this.savedMaxFrom = position;
    else this.savedMinFrom = position;
  }

  private sameBucket(a: number, b: number): boolean {
    return this.bucketMs === 1 ? a === b : Math.floor(a / this.bucketMs) === Math.floor(b / this.bucketMs);
  }

  /** Moves both deques to a new ring of `entries` positions, each from position 0. */
  private resize(entries: number): void {
    const next = emptyRing(entries);
    const ring = this.ring;
    for (let i = 0; i < this.maxLength; i += 1) {
      const from = ((this.maxHead + i) & this.mask) * STRIDE + MAX;
      next[i * STRIDE + MAX] = ring[from] as number;
      next[i * STRIDE + MAX + 1] = ring[from + 1] as number;
      next[i * STRIDE + MAX + 2] = ring[from + 2] as number;
    }
    for (let i = 0; i < this.minLength; i += 1) {
      const from = ((this.minHead + i) & this.mask) * STRIDE + MIN;
      next[i * STRIDE + MIN] = ring[from] as number;
      next[i * STRIDE + MIN + 1] = ring[from + 1] as number;
      next[i * STRIDE + MIN + 2] = ring[from + 2] as number;
    }
    this.ring = next;
    this.mask = entries - 1;
    this.maxHead = 0;
    this.minHead = 0;
  }
}

/**
 * What a batch overwrote in the windows it touched, so that a failed batch can be undone without having
 * copied every touched symbol's windows up front. A protected window keeps its ring, heads and lengths
 * as they were; a write to a slot that held a live entry then saves that slot first, once. So a batch
 * costs what it wrote, not what the windows hold (a full copy of a symbol's windows was 25 % of the
 * handler at 10,000 symbols and 2 trades a record). A window that outgrows or shrinks its ring moves to
 * a new one and leaves the saved ring untouched, so it logs nothing more.
 */
export class DequeUndoLog {
  private readonly windows: RollingExtremes[] = [];
  private readonly saved: RollingExtremes[] = [];
  /** Per saved slot: its index in the saved ring, then the three numbers it held. */
  private readonly values: number[] = [];

  /** @internal A window now protected. */
  track(window: RollingExtremes): void {
    this.windows.push(window);
  }

  /** @internal A slot's old contents. */
  save(window: RollingExtremes, slot: number, ring: readonly number[]): void {
    this.saved.push(window);
    this.values.push(slot, ring[slot] as number, ring[slot + 1] as number, ring[slot + 2] as number);
  }

  /** Keeps what the batch did and stops logging. */
  commit(): void {
    for (const window of this.windows) window.unprotect();
    this.clear();
  }

  /** Puts every protected window back as it was when protected. */
  rollback(): void {
    const values = this.values;
    for (let i = 0; i < this.saved.length; i += 1) {
      const at = i * 4;
      (this.saved[i] as RollingExtremes).restoreSlot(
        values[at] as number,
        values[at + 1] as number,
        values[at + 2] as number,
        values[at + 3] as number,
      );
    }
    for (const window of this.windows) window.restoreProtected();
    this.clear();
  }

  private clear(): void {
    this.windows.length = 0;
    this.saved.length = 0;
    this.values.length = 0;
  }
}

/** Doubles per ring position: an entry of the max deque, then one of the min deque. */
const STRIDE = 6;
/** Where each deque's entry starts within a position. */
const MAX = 0;
const MIN = 3;
const MIN_ENTRIES = 4;

/** A ring of `entries` positions, filled with a double so V8 keeps it as an unboxed double array. */
function emptyRing(entries: number): number[] {
  return new Array<number>(entries * STRIDE).fill(0.5);
}
