import type { NewYorkClock } from '../../shared/domain/new-york-clock.js';
import type { MinuteBar, QuoteSnapshot } from '../../shared/ports/quote-store.js';
import type { WindowSet } from './window-set.js';

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
/** Numbers a tracker keeps beside its symbol's windows (see WindowLayout's extras). */
export const QUOTE_FIELDS = 18;

/** A tracker's state besides its numbers, as {@link QuoteTracker.markInto} saw it. */
export interface QuoteMark {
  touched: boolean;
  dayKey: string;
  closed: MinuteBar[] | undefined;
}

/**
 * A symbol's quote (last price; the day's open, high, low and volume; the previous day's close) and its
 * one-minute bars, kept up to date from the accepted trades at a few comparisons per trade. Closed
 * minutes queue up until the handler writes them.
 *
 * The numbers live in the array of its symbol's windows ({@link WindowSet}'s extras, from `at`), not in
 * fields: V8 boxes each double field of an object in a heap number of its own, so eighteen fields were
 * eighteen more objects to fetch on a symbol's first trade in a batch, a cache miss each at 10,000
 * symbols; an array of its own was two more. Beside the windows they come in the same fetch, and a
 * batch's checkpoint saves them with the windows' heads (WindowSet.protect) instead of copying them.
 */
export class QuoteTracker {
  touched = false;
  /** `YYYY-MM-DD` of the day, kept with it: formatting it per snapshot was 3 % of a quiet day's handler. */
  private dayKey = '';
  /** Closed minutes not yet drained; undefined when none (nearly always at a checkpoint: nothing to fetch). */
  private closed: MinuteBar[] | undefined = undefined;

  constructor(
    readonly symbol: string,
    private readonly clock: NewYorkClock,
    private readonly set: WindowSet,
    /** Where its QUOTE_FIELDS numbers start in the set's array. */
    private readonly at: number,
  ) {
    const v = this.set.array;
    const o = this.at;
    for (let i = 0; i < QUOTE_FIELDS; i += 1) v[o + i] = 0;
    v[o + PREVIOUS_CLOSE] = Number.NaN;
    v[o + DAY] = -1;
    v[o + MINUTE] = -1;
  }

  /** The last accepted price. */
  get price(): number {
    return this.set.array[this.at + PRICE] as number;
  }

  /** The time of the last accepted price. */
  get ts(): number {
    return this.set.array[this.at + TS] as number;
  }

  push(ts: number, price: number, size: number): void {
    const minute = ts - (ts % 60_000);
    const v = this.set.array;
    const o = this.at;
    if (minute !== v[o + MINUTE]) {
      if ((v[o + MINUTE] as number) >= 0) this.close(this.currentBar());
      v[o + MINUTE] = minute;
      v[o + BAR_OPEN] = v[o + BAR_HIGH] = v[o + BAR_LOW] = price;
      v[o + BAR_OPEN_TS] = v[o + BAR_HIGH_TS] = v[o + BAR_LOW_TS] = ts;
      v[o + BAR_VOLUME] = 0;
      const day = this.clock.localDay(ts);
      if (day !== v[o + DAY]) {
        if ((v[o + DAY] as number) >= 0) v[o + PREVIOUS_CLOSE] = v[o + PRICE] as number;
        v[o + DAY] = day;
        this.dayKey = this.clock.dayKey(ts);
        v[o + OPEN] = v[o + HIGH] = v[o + LOW] = price;
        v[o + VOLUME] = 0;
      }
    }
    if (price >= (v[o + BAR_HIGH] as number)) {
      v[o + BAR_HIGH] = price;
      v[o + BAR_HIGH_TS] = ts;
    }
    if (price <= (v[o + BAR_LOW] as number)) {
      v[o + BAR_LOW] = price;
      v[o + BAR_LOW_TS] = ts;
    }
    v[o + BAR_CLOSE] = price;
    v[o + BAR_CLOSE_TS] = ts;
    v[o + BAR_VOLUME] = (v[o + BAR_VOLUME] as number) + size;
    if (price > (v[o + HIGH] as number)) v[o + HIGH] = price;
    if (price < (v[o + LOW] as number)) v[o + LOW] = price;
    v[o + VOLUME] = (v[o + VOLUME] as number) + size;
    v[o + PRICE] = price;
    v[o + TS] = ts;
    this.touched = true;
  }

  private close(bar: MinuteBar): void {
    if (this.closed === undefined) this.closed = [bar];
    else this.closed.push(bar);
  }

  /** The closed minutes since the last call, oldest first. */
  drainClosedBars(): readonly MinuteBar[] {
    const bars = this.closed;
    if (bars === undefined) return NO_BARS;
    this.closed = undefined;
    return bars;
  }

  snapshot(levels: Readonly<Record<string, number>>): QuoteSnapshot {
    const v = this.set.array;
    const o = this.at;
    // Built and then completed, not spread: a conditional spread took the slow path, once per symbol a batch.
    const snapshot: { -readonly [K in keyof QuoteSnapshot]: QuoteSnapshot[K] } = {
      symbol: this.symbol,
      price: v[o + PRICE] as number,
      ts: v[o + TS] as number,
      day: this.dayKey,
      open: v[o + OPEN] as number,
      high: v[o + HIGH] as number,
      low: v[o + LOW] as number,
      volume: v[o + VOLUME] as number,
      openBar: this.currentBar(),
      levels,
    };
    const previousClose = v[o + PREVIOUS_CLOSE] as number;
    if (!Number.isNaN(previousClose)) snapshot.previousClose = previousClose;
    return snapshot;
  }

  /** Continues from a snapshot written by an earlier process. */
  restore(snapshot: QuoteSnapshot): void {
    const v = this.set.array;
    const o = this.at;
    v[o + PRICE] = snapshot.price;
    v[o + TS] = snapshot.ts;
    v[o + DAY] = this.clock.localDay(snapshot.ts);
    this.dayKey = this.clock.dayKey(snapshot.ts);
    v[o + OPEN] = snapshot.open;
    v[o + HIGH] = snapshot.high;
    v[o + LOW] = snapshot.low;
    v[o + VOLUME] = snapshot.volume;
    v[o + PREVIOUS_CLOSE] = snapshot.previousClose ?? Number.NaN;
    const bar = snapshot.openBar;
    v[o + MINUTE] = bar.minute;
    v[o + BAR_OPEN] = bar.open;
    v[o + BAR_HIGH] = bar.high;
    v[o + BAR_LOW] = bar.low;
    v[o + BAR_CLOSE] = bar.close;
    v[o + BAR_VOLUME] = bar.volume;
    v[o + BAR_OPEN_TS] = bar.openTs;
    v[o + BAR_HIGH_TS] = bar.highTs;
    v[o + BAR_LOW_TS] = bar.lowTs;
    v[o + BAR_CLOSE_TS] = bar.closeTs;
  }

  /** Saves what the windows' checkpoint does not (its numbers are saved with them) into `mark`. */
  markInto(mark: QuoteMark): void {
    mark.touched = this.touched;
    mark.dayKey = this.dayKey;
    mark.closed = this.closed === undefined ? undefined : [...this.closed];
  }

  /** Goes back to `mark` (its numbers go back with the windows). */
  restoreMark(mark: QuoteMark): void {
    this.touched = mark.touched;
    this.dayKey = mark.dayKey;
    this.closed = mark.closed;
    mark.closed = undefined;
  }

  private currentBar(): MinuteBar {
    const v = this.set.array;
    const o = this.at;
    return {
      symbol: this.symbol,
      minute: v[o + MINUTE] as number,
      open: v[o + BAR_OPEN] as number,
      high: v[o + BAR_HIGH] as number,
      low: v[o + BAR_LOW] as number,
      close: v[o + BAR_CLOSE] as number,
      volume: v[o + BAR_VOLUME] as number,
      openTs: v[o + BAR_OPEN_TS] as number,
      highTs: v[o + BAR_HIGH_TS] as number,
      lowTs: v[o + BAR_LOW_TS] as number,
      closeTs: v[o + BAR_CLOSE_TS] as number,
    };
  }
}
