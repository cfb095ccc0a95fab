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
 */
export class RollingExtremes {
  private readonly maxDeque: MonotonicDeque;
  private readonly minDeque: MonotonicDeque;

  constructor(
    readonly windowMs: number,
    readonly bucketMs = 1,
  ) {
    this.maxDeque = new MonotonicDeque(bucketMs);
    this.minDeque = new MonotonicDeque(bucketMs);
  }

  /** Adds a trade at `ts` (not before the latest pushed) and drops trades that have left the window. */
  push(ts: number, price: number): void {
    const oldest = ts - this.windowMs;
    this.maxDeque.push(ts, price, oldest);
    this.minDeque.push(ts, -price, oldest);
  }

  get highPrice(): number {
    return this.maxDeque.frontValue();
  }

  get highTs(): number {
    return this.maxDeque.frontTs();
  }

  get lowPrice(): number {
    return -this.minDeque.frontValue();
  }

  get lowTs(): number {
    return this.minDeque.frontTs();
  }

  /** The highest price in the window; undefined before the first trade. */
  get high(): PricePoint | undefined {
    return this.maxDeque.isEmpty() ? undefined : { ts: this.highTs, price: this.highPrice };
  }

  /** The lowest price in the window; undefined before the first trade. */
  get low(): PricePoint | undefined {
    return this.minDeque.isEmpty() ? undefined : { ts: this.lowTs, price: this.lowPrice };
  }

  /** How many points the deques hold. */
  get size(): number {
    return this.maxDeque.length + this.minDeque.length;
  }

  /**
   * From now until `log` commits or rolls back, the window can be put back as it is now: each deque
   * saves a slot's old contents into `log` the first time the batch overwrites it (see DequeUndoLog).
   */
  protect(log: DequeUndoLog): void {
    this.maxDeque.protect(log);
    this.minDeque.protect(log);
  }
}

/**
 * What a batch overwrote in the deques it touched, so that a failed batch can be undone without having
 * copied every touched symbol's windows up front. A protected deque keeps its ring, head and length as
 * they were; a write to a slot that held a live entry then saves that slot first, once. So a batch costs
 * what it wrote, not what the windows hold (a full copy of a symbol's ten deques was 25 % of the handler
 * at 10,000 symbols and 2 trades a record). A deque that outgrows or shrinks its ring moves to a new one
 * and leaves the saved ring untouched, so it logs nothing more.
 */
export class DequeUndoLog {
  private readonly deques: MonotonicDeque[] = [];
  private readonly saved: MonotonicDeque[] = [];
  /** Per saved slot: its index in the saved ring, then the three numbers it held. */
  private readonly values: number[] = [];

  /** @internal A deque now protected. */
  track(deque: MonotonicDeque): void {
    this.deques.push(deque);
  }

  /** @internal A slot's old contents. */
  save(deque: MonotonicDeque, slot: number, ring: readonly number[]): void {
    this.saved.push(deque);
    this.values.push(slot, ring[slot] as number, ring[slot + 1] as number, ring[slot + 2] as number);
  }

  /** Keeps what the batch did and stops logging. */
  commit(): void {
    for (const deque of this.deques) deque.unprotect();
    this.clear();
  }

  /** Puts every protected deque back as it was when protected. */
  rollback(): void {
    for (let i = 0; i < this.saved.length; i += 1) {
      const at = i * 4;
      const values = this.values;
      (this.saved[i] as MonotonicDeque).restoreSlot(
        values[at] as number,
        values[at + 1] as number,
        values[at + 2] as number,
        values[at + 3] as number,
      );
    }
    for (const deque of this.deques) deque.restoreProtected();
    this.clear();
  }

  private clear(): void {
    this.deques.length = 0;
    this.saved.length = 0;
    this.values.length = 0;
  }
}

const STRIDE = 3;
const MIN_ENTRIES = 4;

/**
 * A max deque on one ring of doubles: [ts of the value, value, latest ts merged into the entry]
 * per entry, allocation-free per trade. A plain array of doubles rather than a Float64Array: with
 * 100,000 deques for 10,000 symbols, each typed array's own ArrayBuffer and backing store cost more
 * than the numbers in it.
 */
class MonotonicDeque {
  private ring: number[];
  private mask: number;
  private head = 0;
  length = 0;
  /** While protected: the ring, head and length to go back to, and the log that saves overwritten slots. */
  private savedRing: number[] | undefined;
  private savedHead = 0;
  private savedLength = 0;
  /** Entries of the saved ring from this position (counted from savedHead) on are saved or were free. */
  private savedFrom = 0;
  private undo: DequeUndoLog | undefined;

  constructor(private readonly bucketMs: number) {
    this.ring = emptyRing(MIN_ENTRIES);
    this.mask = this.ring.length / STRIDE - 1;
  }

  isEmpty(): boolean {
    return this.length === 0;
  }

  /** Adds a point and drops the entries whose latest trade is before `oldestTs`. */
  push(ts: number, value: number, oldestTs: number): void {
    this.append(ts, value);
    if ((this.ring[this.head * STRIDE + 2] as number) < oldestTs) this.evictBefore(oldestTs);
  }

  private append(ts: number, value: number): void {
    const ring = this.ring;
    let back = (this.head + this.length - 1) & this.mask;
    while (this.length > 0 && (ring[back * STRIDE + 1] as number) <= value) {
      this.length -= 1;
      back = (back - 1) & this.mask;
    }
    if (this.length > 0 && this.sameBucket(ring[back * STRIDE] as number, ts)) {
      if (ring === this.savedRing) this.beforeWrite(back);
      ring[back * STRIDE + 2] = ts;
      return;
    }
    if (this.length === this.mask + 1) this.grow();
    const entry = (this.head + this.length) & this.mask;
    if (this.ring === this.savedRing) this.beforeWrite(entry);
    const slot = entry * STRIDE;
    this.ring[slot] = ts;
    this.ring[slot + 1] = value;
    this.ring[slot + 2] = ts;
    this.length += 1;
  }

  evictBefore(oldestTs: number): void {
    if (this.length === 0 || (this.ring[this.head * STRIDE + 2] as number) >= oldestTs) return;
    do {
      this.head = (this.head + 1) & this.mask;
      this.length -= 1;
    } while (this.length > 0 && (this.ring[this.head * STRIDE + 2] as number) < oldestTs);
    // Give back what a burst took: 10,000 symbols × 10 deques add up.
    if (this.mask >= MIN_ENTRIES * 2 && this.length * 4 <= this.mask + 1) this.resize((this.mask + 1) / 2);
  }

  frontValue(): number {
    return this.ring[this.head * STRIDE + 1] as number;
  }

  frontTs(): number {
    return this.ring[this.head * STRIDE] as number;
  }

  protect(log: DequeUndoLog): void {
    this.savedRing = this.ring;
    this.savedHead = this.head;
    this.savedLength = this.length;
    this.savedFrom = this.length;
    this.undo = log;
    log.track(this);
  }

  unprotect(): void {
    this.savedRing = undefined;
    this.undo = undefined;
  }

  restoreSlot(slot: number, ts: number, value: number, latestTs: number): void {
    const ring = this.savedRing as number[];
    ring[slot] = ts;
    ring[slot + 1] = value;
    ring[slot + 2] = latestTs;
  }

  restoreProtected(): void {
    this.ring = this.savedRing as number[];
    this.mask = this.ring.length / STRIDE - 1;
    this.head = this.savedHead;
    this.length = this.savedLength;
    this.unprotect();
  }

  /**
   * Before a write into the saved ring. Positions (counted from savedHead) below savedFrom have not been
   * written since protect(); from savedFrom on they are saved or held no live entry. A write below
   * savedFrom first saves everything from its position up to savedFrom, so each entry is saved at most
   * once a batch. Writes land there after pops from the back, or when the ring wraps round.
   */
  private beforeWrite(entry: number): void {
    const position = (entry - this.savedHead) & this.mask;
    if (position >= this.savedFrom) return;
    const ring = this.ring;
    const log = this.undo as DequeUndoLog;
    for (let p = position; p < this.savedFrom; p += 1) {
      log.save(this, ((this.savedHead + p) & this.mask) * STRIDE, ring);
    }
    this.savedFrom = position;
  }

  private sameBucket(a: number, b: number): boolean {
    return this.bucketMs === 1 ? a === b : Math.floor(a / this.bucketMs) === Math.floor(b / this.bucketMs);
  }

  private grow(): void {
    this.resize((this.mask + 1) * 2);
  }

  private resize(entries: number): void {
    const next = emptyRing(entries);
    for (let i = 0; i < this.length; i += 1) {
      const from = ((this.head + i) & this.mask) * STRIDE;
      next[i * STRIDE] = this.ring[from] as number;
      next[i * STRIDE + 1] = this.ring[from + 1] as number;
      next[i * STRIDE + 2] = this.ring[from + 2] as number;
    }
    this.ring = next;
    this.mask = entries - 1;
    this.head = 0;
  }
}

/** A ring of `entries` entries, filled with a double so V8 keeps it as an unboxed double array. */
function emptyRing(entries: number): number[] {
  return new Array<number>(entries * STRIDE).fill(0.5);
}
