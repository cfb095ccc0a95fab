import type { FeedTrade } from '../../shared/ports/market-feed.js';

/**
 * Sale conditions that must not move the detector's price, from the CTA (CTS, tapes A and B) and UTP
 * (UTDF, tape C) consolidated processing guidelines: a print with any of these codes does not update
 * the consolidated last sale price (docs/alpaca-feed.md has the table and its sources).
 *
 * Codes whose rule is "updates last only if it is the day's first or only eligible print" (G, P, R, Z, 4)
 * are dropped too: a live feed always has an earlier print, and they are late or out-of-sequence reports
 * whose price can be minutes old — exactly the prints that would fake a move.
 */
const NOT_LAST_SALE: ReadonlySet<string> = new Set([
  'C', // cash sale (same-day settlement)
  'G', // bunched sold trade (late report)
  'H', // price variation trade
  'I', // odd lot
  'M', // market center official close (a summary, not a trade)
  'N', // next-day settlement
  'P', // prior reference price
  'Q', // market center official open (a summary, not a trade)
  'R', // seller's option
  'U', // extended hours, sold out of sequence
  'V', // contingent trade
  'Z', // sold out of sequence
  '4', // derivatively priced
  '7', // qualified contingent trade
  '9', // corrected consolidated close
]);

/** `B` is "average price trade" on the CTA tapes (A, B) but "bunched trade", which is eligible, on UTP (C). */
const NOT_LAST_SALE_CTA: ReadonlySet<string> = new Set(['B']);
/** `W` is "average price trade" on UTP. */
const NOT_LAST_SALE_UTP: ReadonlySet<string> = new Set(['W']);

/** The first condition that makes the print ineligible, or undefined when it may update the last price. */
export function ineligibleCondition(trade: Pick<FeedTrade, 'conditions' | 'tape'>): string | undefined {
  const cta = trade.tape === 'A' || trade.tape === 'B';
  const utp = trade.tape === 'C';
  for (const code of trade.conditions) {
    if (NOT_LAST_SALE.has(code)) return code;
    // An unknown tape (IEX-only data has none on some messages) gets both plans' average-price codes.
    if (!utp && NOT_LAST_SALE_CTA.has(code)) return code;
    if (!cta && NOT_LAST_SALE_UTP.has(code)) return code;
  }
  return undefined;
}

/** Counts of prints dropped, by condition code, for the metrics. */
export class ConditionFilter {
  readonly droppedByCondition = new Map<string, number>();
  dropped = 0;

  /** True when the trade may go to the detector; otherwise counts it. */
  accepts(trade: FeedTrade): boolean {
    const code = ineligibleCondition(trade);
    if (code === undefined) return true;
    this.dropped += 1;
    this.droppedByCondition.set(code, (this.droppedByCondition.get(code) ?? 0) + 1);
    return false;
  }
}
