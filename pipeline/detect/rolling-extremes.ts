/** A price and the time it traded. */
export interface PricePoint {
  readonly price: number;
  readonly ts: number;
}

/**
 * Highest and lowest price over a rolling time window, in O(1) amortised time per trade.
 * Two monotonic deques: the max deque keeps prices in decreasing order, the min deque in increasing
 * order; each trade enters and leaves each deque at most once. A trade at `t` is in the window at
 * `now` when `now − windowMs ≤ t ≤ now`. On equal prices the latest trade is kept.
 */
export class RollingExtremes {
  private readonly maxDeque = new TimeDeque();
  private readonly minDeque = new TimeDeque();

  constructor(readonly windowMs: number) {}

  /** Adds a trade at `ts` and drops trades that have left the window. */
  push(ts: number, price: number): void {
    this.maxDeque.pushDominating(ts, price, (older, newer) => older <= newer);
    this.minDeque.pushDominating(ts, price, (older, newer) => older >= newer);
    const oldest = ts - this.windowMs;
    this.maxDeque.evictBefore(oldest);
    this.minDeque.evictBefore(oldest);
  }

  /** The highest price in the window; undefined before the first trade. */
  get high(): PricePoint | undefined {
    return this.maxDeque.front();
  }

  /** The lowest price in the window; undefined before the first trade. */
  get low(): PricePoint | undefined {
    return this.minDeque.front();
  }

  /** How many points the deques hold; bounded by the trades in one window. */
  get size(): number {
    return this.maxDeque.length + this.minDeque.length;
  }
}

/** A deque of (ts, price) on parallel arrays with a moving head, compacted now and then. */
class TimeDeque {
  private ts: number[] = [];
  private prices: number[] = [];
  private head = 0;

  get length(): number {
    return this.ts.length - this.head;
  }

  /** Pops from the back every point the new one dominates, then appends it. */
  pushDominating(ts: number, price: number, dominated: (older: number, newer: number) => boolean): void {
    while (this.ts.length > this.head && dominated(this.prices[this.prices.length - 1] as number, price)) {
      this.ts.pop();
      this.prices.pop();
    }
    this.ts.push(ts);
    this.prices.push(price);
  }

  evictBefore(oldestTs: number): void {
    while (this.head < this.ts.length && (this.ts[this.head] as number) < oldestTs) this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.ts.length) {
      this.ts = this.ts.slice(this.head);
      this.prices = this.prices.slice(this.head);
      this.head = 0;
    }
  }

  front(): PricePoint | undefined {
    if (this.head >= this.ts.length) return undefined;
    return { ts: this.ts[this.head] as number, price: this.prices[this.head] as number };
  }
}
