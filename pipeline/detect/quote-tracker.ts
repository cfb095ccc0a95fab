import type { NewYorkClock } from '../../shared/domain/new-york-clock.js';
import type { MinuteBar, QuoteSnapshot } from '../../shared/ports/quote-store.js';

const NO_BARS: readonly MinuteBar[] = [];

/** Where each number of a tracker lives in its array (see {@link QuoteTracker}). */
const PRICE = 0;
const TS = 1;
const DAY = 2;
const OPEN = 3;
const HIGH = 4;
const LOW = 5;
const VOLUME = 6;
/** NaN while unknown. */
const PREVIOUS_CLOSE = 7;
const MINUTE = 8;
const BAR_OPEN = 9;
const BAR_HIGH = 10;
const BAR_LOW = 11;
const BAR_CLOSE = 12;
const BAR_VOLUME = 13;
const BAR_OPEN_TS = 14;
const BAR_HIGH_TS = 15;
const BAR_LOW_TS = 16;
const BAR_CLOSE_TS = 17;
const FIELDS = 18;

/**
 * A symbol's quote (last price; the day's open, high, low and volume; the previous day's close) and its
 * one-minute bars, kept up to date from the accepted trades at a few comparisons per trade. Closed
 * minutes queue up until the handler writes them.
 *
 * The numbers live in one array of doubles, not in fields: V8 boxes each double field of an object in
 * a heap number of its own, so eighteen fields were eighteen more objects to fetch on a symbol's first
 * trade in a batch, a cache miss each at 10,000 symbols. The array keeps them unboxed, side by side.
 */
export class QuoteTracker {
  touched = false;
  /** `YYYY-MM-DD` of the day, kept with it: formatting it per snapshot was 3 % of a quiet day's handler. */
  private dayKey = '';
  private readonly v: number[] = new Array<number>(FIELDS).fill(Number.NaN);
  private closed: MinuteBar[] = [];

  constructor(
    readonly symbol: string,
    private readonly clock: NewYorkClock,
  ) {
    const v = this.v;
    for (let i = 0; i < FIELDS; i += 1) if (i !== PREVIOUS_CLOSE) v[i] = 0;
    v[DAY] = -1;
    v[MINUTE] = -1;
  }

  /** The last accepted price. */
  get price(): number {
    return this.v[PRICE] as number;
  }

  /** The time of the last accepted price. */
  get ts(): number {
    return this.v[TS] as number;
  }

  push(ts: number, price: number, size: number): void {
    const minute = ts - (ts % 60_000);
    const v = this.v;
    if (minute !== v[MINUTE]) {
      if ((v[MINUTE] as number) >= 0) this.closed.push(this.currentBar());
      v[MINUTE] = minute;
      v[BAR_OPEN] = v[BAR_HIGH] = v[BAR_LOW] = price;
      v[BAR_OPEN_TS] = v[BAR_HIGH_TS] = v[BAR_LOW_TS] = ts;
      v[BAR_VOLUME] = 0;
      const day = this.clock.localDay(ts);
      if (day !== v[DAY]) {
        if ((v[DAY] as number) >= 0) v[PREVIOUS_CLOSE] = v[PRICE] as number;
        v[DAY] = day;
        this.dayKey = this.clock.dayKey(ts);
        v[OPEN] = v[HIGH] = v[LOW] = price;
        v[VOLUME] = 0;
      }
    }
    if (price >= (v[BAR_HIGH] as number)) {
      v[BAR_HIGH] = price;
      v[BAR_HIGH_TS] = ts;
    }
    if (price <= (v[BAR_LOW] as number)) {
      v[BAR_LOW] = price;
      v[BAR_LOW_TS] = ts;
    }
    v[BAR_CLOSE] = price;
    v[BAR_CLOSE_TS] = ts;
    v[BAR_VOLUME] = (v[BAR_VOLUME] as number) + size;
    if (price > (v[HIGH] as number)) v[HIGH] = price;
    if (price < (v[LOW] as number)) v[LOW] = price;
    v[VOLUME] = (v[VOLUME] as number) + size;
    v[PRICE] = price;
    v[TS] = ts;
    this.touched = true;
  }

  /** The closed minutes since the last call, oldest first. */
  drainClosedBars(): readonly MinuteBar[] {
    if (this.closed.length === 0) return NO_BARS;
    const bars = this.closed;
    this.closed = [];
    return bars;
  }

  snapshot(levels: Readonly<Record<string, number>>): QuoteSnapshot {
    const v = this.v;
    // Built and then completed, not spread: a conditional spread took the slow path, once per symbol a batch.
    const snapshot: { -readonly [K in keyof QuoteSnapshot]: QuoteSnapshot[K] } = {
      symbol: this.symbol,
      price: v[PRICE] as number,
      ts: v[TS] as number,
      day: this.dayKey,
      open: v[OPEN] as number,
      high: v[HIGH] as number,
      low: v[LOW] as number,
      volume: v[VOLUME] as number,
      openBar: this.currentBar(),
      levels,
    };
    const previousClose = v[PREVIOUS_CLOSE] as number;
    if (!Number.isNaN(previousClose)) snapshot.previousClose = previousClose;
    return snapshot;
  }

  /** Continues from a snapshot written by an earlier process. */
  restore(snapshot: QuoteSnapshot): void {
    const v = this.v;
    v[PRICE] = snapshot.price;
    v[TS] = snapshot.ts;
    v[DAY] = this.clock.localDay(snapshot.ts);
    this.dayKey = this.clock.dayKey(snapshot.ts);
    v[OPEN] = snapshot.open;
    v[HIGH] = snapshot.high;
    v[LOW] = snapshot.low;
    v[VOLUME] = snapshot.volume;
    v[PREVIOUS_CLOSE] = snapshot.previousClose ?? Number.NaN;
    const bar = snapshot.openBar;
    v[MINUTE] = bar.minute;
    v[BAR_OPEN] = bar.open;
    v[BAR_HIGH] = bar.high;
    v[BAR_LOW] = bar.low;
    v[BAR_CLOSE] = bar.close;
    v[BAR_VOLUME] = bar.volume;
    v[BAR_OPEN_TS] = bar.openTs;
    v[BAR_HIGH_TS] = bar.highTs;
    v[BAR_LOW_TS] = bar.lowTs;
    v[BAR_CLOSE_TS] = bar.closeTs;
  }

  /** A copy. */
  clone(): QuoteTracker {
    const copy = new QuoteTracker(this.symbol, this.clock);
    copy.copyFrom(this);
    return copy;
  }

  /**
   * Becomes what `other` is (its symbol and clock excepted), into its own array and list: a batch's
   * checkpoint reuses one tracker per symbol it saves instead of allocating a clone.
   */
  copyFrom(other: QuoteTracker): void {
    this.touched = other.touched;
    this.dayKey = other.dayKey;
    const v = this.v;
    const from = other.v;
    for (let i = 0; i < FIELDS; i += 1) v[i] = from[i] as number;
    // Each tracker owns its list (drainClosedBars hands the old one out and starts a new one).
    this.closed.length = 0;
    for (const closed of other.closed) this.closed.push(closed);
  }

  private currentBar(): MinuteBar {
    const v = this.v;
    return {
      symbol: this.symbol,
      minute: v[MINUTE] as number,
      open: v[BAR_OPEN] as number,
      high: v[BAR_HIGH] as number,
      low: v[BAR_LOW] as number,
      close: v[BAR_CLOSE] as number,
      volume: v[BAR_VOLUME] as number,
      openTs: v[BAR_OPEN_TS] as number,
      highTs: v[BAR_HIGH_TS] as number,
      lowTs: v[BAR_LOW_TS] as number,
      closeTs: v[BAR_CLOSE_TS] as number,
    };
  }
}
