import type { Trade } from './trade.js';

/**
 * The bad-print rule. A print is suspect when it is more than `jumpPct` away from the symbol's last
 * accepted print and that print is at most `horizonMs` old (there is a prevailing price to be far from).
 * A suspect is held, not used. The next print decides:
 * - back within `jumpPct` of the prevailing price: the held prints were off-market and are dropped;
 * - also far from the prevailing price, on the same side, *at a price the held run has not printed*: the
 *   market really moved; the held prints are used, in order, then this one. A repeat of a held price
 *   does not confirm, because off-market blocks are often reported several times at one price (SPY
 *   165.59 on 2013-10-10, BAC 14.12 on 2013-10-07), while a market that has moved trades at more than one;
 * - anything else joins the held run. A run of `maxHeld` prints, or one that stands unchallenged for
 *   `horizonMs` (the next print comes later than that), is accepted.
 *
 * So a real jump is used at worst one print late (it alerts on its own print, decided one print later),
 * and a lone far print, or a run of repeats of one far price, is never used.
 */
export interface BadTickRule {
  readonly jumpPct: number;
  readonly horizonMs: number;
  readonly maxHeld: number;
}

export const DEFAULT_BAD_TICK_RULE: BadTickRule = { jumpPct: 1, horizonMs: 5 * 60_000, maxHeld: 20 };

/** What to do with the offered print. */
export type TickVerdict =
  /** Use this print. */
  | 'accept'
  /** Use nothing yet. */
  | 'hold'
  /** Use {@link BadTickFilter.released} in order, then this print. */
  | 'release'
  /** The held prints were off-market and are gone; use this print. */
  | 'discard';

/** A filter's state as {@link BadTickFilter.markInto} saw it: {@link BadTickFilter.restoreMark} puts it back. */
export interface BadTickMark {
  held: Trade[];
  heldLength: number;
  dropped: number;
  referencePrice: number;
  referenceTs: number;
}

/**
 * The held run of every filter holding nothing (nearly all, nearly always), never written to: a checkpoint
 * of the detector reads the run's length on each symbol a batch touches, and at 10,000 symbols an array
 * of each filter's own was one more fetch from memory per symbol.
 */
const NONE_HELD: Trade[] = [];

/** Applies {@link BadTickRule} to one symbol's prints, in order. */
export class BadTickFilter {
  /** The prints confirmed by the last `release` verdict, oldest first. */
  released: Trade[] = NONE_HELD;
  /** How many prints this filter has dropped. */
  dropped = 0;
  private held: Trade[] = NONE_HELD;
  private referencePrice = 0;
  private referenceTs = Number.NEGATIVE_INFINITY;

  constructor(private readonly rule: BadTickRule = DEFAULT_BAD_TICK_RULE) {}

  offer(trade: Trade): TickVerdict {
    if (this.held.length === 0) {
      if (this.farFromPrevailing(trade)) {
        this.held = [trade];
        return 'hold';
      }
      this.prevail(trade);
      return 'accept';
    }
    const first = this.held[0] as Trade;
    if (trade.ts - first.ts > this.rule.horizonMs) return this.release(trade);
    if (!this.farFromPrevailing(trade)) {
      this.dropped += this.held.length;
      this.held = NONE_HELD;
      this.prevail(trade);
      return 'discard';
    }
    // Far from the prevailing price too, on the same side as the held run, at a price it has not printed yet.
    const sameSide = trade.price > this.referencePrice === first.price > this.referencePrice;
    const confirms = sameSide && !this.held.some((held) => held.price === trade.price);
    if (confirms || this.held.length >= this.rule.maxHeld) return this.release(trade);
    this.held.push(trade);
    return 'hold';
  }

  private release(trade: Trade): TickVerdict {
    this.released = this.held;
    this.held = NONE_HELD;
    this.prevail(trade);
    return 'release';
  }

  /** Continues from a known last accepted print (after a cold start). */
  seed(price: number, ts: number): void {
    this.referencePrice = price;
    this.referenceTs = ts;
  }

  clone(): BadTickFilter {
    const copy = new BadTickFilter(this.rule);
    copy.held = [...this.held];
    copy.dropped = this.dropped;
    copy.seed(this.referencePrice, this.referenceTs);
    return copy;
  }

  /**
   * Saves the state into `mark` without copying: the held run only grows in place or is replaced
   * whole, so its array and length are enough to put it back. A batch's checkpoint, allocation-free.
   */
  markInto(mark: BadTickMark): void {
    mark.held = this.held;
    mark.heldLength = this.held.length;
    mark.dropped = this.dropped;
    mark.referencePrice = this.referencePrice;
    mark.referenceTs = this.referenceTs;
  }

  /** Goes back to the state `mark` saved (nothing after the mark may have been kept). */
  restoreMark(mark: BadTickMark): void {
    this.held = mark.held;
    this.held.length = mark.heldLength;
    this.dropped = mark.dropped;
    this.referencePrice = mark.referencePrice;
    this.referenceTs = mark.referenceTs;
  }

  private farFromPrevailing(trade: Trade): boolean {
    if (this.referencePrice === 0 || trade.ts - this.referenceTs > this.rule.horizonMs) return false;
    return percentApart(this.referencePrice, trade.price) > this.rule.jumpPct;
  }

  private prevail(trade: Trade): void {
    this.referencePrice = trade.price;
    this.referenceTs = trade.ts;
  }
}

function percentApart(from: number, to: number): number {
  return (Math.abs(to - from) / from) * 100;
}
