import type { NewYorkClock } from '../../shared/domain/new-york-clock.js';
import type { MinuteBar, QuoteSnapshot } from '../../shared/ports/quote-store.js';

const NO_BARS: readonly MinuteBar[] = [];

/**
 * A symbol's quote (last price; the day's open, high, low and volume; the previous day's close) and its
 * one-minute bars, kept up to date from the accepted trades at a few comparisons per trade. Closed
 * minutes queue up until the handler writes them.
 */
export class QuoteTracker {
  price = 0;
  ts = 0;
  touched = false;
  private day = -1;
  /** `YYYY-MM-DD` of `day`, kept with it: formatting it per snapshot was 3 % of a quiet day's handler. */
  private dayKey = '';
  private open = 0;
  private high = 0;
  private low = 0;
  private volume = 0;
  private previousClose: number | undefined;
  private minute = -1;
  private bar = { open: 0, high: 0, low: 0, close: 0, volume: 0, openTs: 0, highTs: 0, lowTs: 0, closeTs: 0 };
  private closed: MinuteBar[] = [];

  constructor(
    readonly symbol: string,
    private readonly clock: NewYorkClock,
  ) {}

  push(ts: number, price: number, size: number): void {
    const minute = ts - (ts % 60_000);
    const bar = this.bar;
    if (minute !== this.minute) {
      if (this.minute >= 0) this.closed.push(this.currentBar());
      this.minute = minute;
      bar.open = bar.high = bar.low = price;
      bar.openTs = bar.highTs = bar.lowTs = ts;
      bar.volume = 0;
      const day = this.clock.localDay(ts);
      if (day !== this.day) {
        if (this.day >= 0) this.previousClose = this.price;
        this.day = day;
        this.dayKey = this.clock.dayKey(ts);
        this.open = this.high = this.low = price;
        this.volume = 0;
      }
    }
    if (price >= bar.high) {
      bar.high = price;
      bar.highTs = ts;
    }
    if (price <= bar.low) {
      bar.low = price;
      bar.lowTs = ts;
    }
    bar.close = price;
    bar.closeTs = ts;
    bar.volume += size;
    if (price > this.high) this.high = price;
    if (price < this.low) this.low = price;
    this.volume += size;
    this.price = price;
    this.ts = ts;
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
    // Built and then completed, not spread: a conditional spread took the slow path, once per symbol a batch.
    const snapshot: { -readonly [K in keyof QuoteSnapshot]: QuoteSnapshot[K] } = {
      symbol: this.symbol,
      price: this.price,
      ts: this.ts,
      day: this.dayKey,
      open: this.open,
      high: this.high,
      low: this.low,
      volume: this.volume,
      openBar: this.currentBar(),
      levels,
    };
    if (this.previousClose !== undefined) snapshot.previousClose = this.previousClose;
    return snapshot;
  }

  /** Continues from a snapshot written by an earlier process. */
  restore(snapshot: QuoteSnapshot): void {
    this.price = snapshot.price;
    this.ts = snapshot.ts;
    this.day = this.clock.localDay(snapshot.ts);
    this.dayKey = this.clock.dayKey(snapshot.ts);
    this.open = snapshot.open;
    this.high = snapshot.high;
    this.low = snapshot.low;
    this.volume = snapshot.volume;
    this.previousClose = snapshot.previousClose;
    const { symbol: _symbol, minute, ...bar } = snapshot.openBar;
    this.minute = minute;
    this.bar = { ...bar };
  }

  /** A copy. */
  clone(): QuoteTracker {
    const copy = new QuoteTracker(this.symbol, this.clock);
    copy.copyFrom(this);
    return copy;
  }

  /**
   * Becomes what `other` is (its symbol and clock excepted), field by field and into its own bar and
   * list: a batch's checkpoint reuses one tracker per symbol it saves instead of allocating a clone.
   */
  copyFrom(other: QuoteTracker): void {
    this.price = other.price;
    this.ts = other.ts;
    this.touched = other.touched;
    this.day = other.day;
    this.dayKey = other.dayKey;
    this.open = other.open;
    this.high = other.high;
    this.low = other.low;
    this.volume = other.volume;
    this.previousClose = other.previousClose;
    this.minute = other.minute;
    const bar = this.bar;
    const from = other.bar;
    bar.open = from.open;
    bar.high = from.high;
    bar.low = from.low;
    bar.close = from.close;
    bar.volume = from.volume;
    bar.openTs = from.openTs;
    bar.highTs = from.highTs;
    bar.lowTs = from.lowTs;
    bar.closeTs = from.closeTs;
    // Each tracker owns its list (drainClosedBars hands the old one out and starts a new one).
    this.closed.length = 0;
    for (const closed of other.closed) this.closed.push(closed);
  }

  private currentBar(): MinuteBar {
    const bar = this.bar;
    return {
      symbol: this.symbol,
      minute: this.minute,
      open: bar.open,
      high: bar.high,
      low: bar.low,
      close: bar.close,
      volume: bar.volume,
      openTs: bar.openTs,
      highTs: bar.highTs,
      lowTs: bar.lowTs,
      closeTs: bar.closeTs,
    };
  }
}
