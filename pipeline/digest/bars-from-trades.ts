import type { Trade } from '../../shared/domain/trade.js';
import type { DigestBar } from './digest.js';

const MINUTE_MS = 60_000;

/**
 * Folds trades into one-minute bars per symbol, for a digest over a market-data file (the pipeline
 * keeps minute bars in the Quotes table already). Trades of a symbol may come in any order.
 */
export class MinuteBarCollector {
  private readonly bars = new Map<string, Map<number, { bar: DigestBar; openTs: number; closeTs: number }>>();

  constructor(
    private readonly fromTs: number,
    private readonly toTs: number,
    private readonly symbols?: ReadonlySet<string>,
  ) {}

  add(trade: Trade): void {
    if (trade.ts < this.fromTs || trade.ts >= this.toTs) return;
    if (this.symbols !== undefined && !this.symbols.has(trade.symbol)) return;
    let bySymbol = this.bars.get(trade.symbol);
    if (bySymbol === undefined) {
      bySymbol = new Map();
      this.bars.set(trade.symbol, bySymbol);
    }
    const minute = trade.ts - (trade.ts % MINUTE_MS);
    const entry = bySymbol.get(minute);
    const price = trade.price;
    if (entry === undefined) {
      bySymbol.set(minute, {
        bar: { minute, open: price, high: price, low: price, close: price },
        openTs: trade.ts,
        closeTs: trade.ts,
      });
      return;
    }
    const { bar } = entry;
    entry.bar = {
      minute,
      open: trade.ts < entry.openTs ? price : bar.open,
      high: Math.max(bar.high, price),
      low: Math.min(bar.low, price),
      close: trade.ts >= entry.closeTs ? price : bar.close,
    };
    if (trade.ts < entry.openTs) entry.openTs = trade.ts;
    if (trade.ts >= entry.closeTs) entry.closeTs = trade.ts;
  }

  /** Bars per symbol, oldest first; symbols asked for but never seen get an empty list. */
  result(): Map<string, DigestBar[]> {
    const out = new Map<string, DigestBar[]>();
    for (const symbol of this.symbols ?? []) out.set(symbol, []);
    for (const [symbol, bySymbol] of this.bars) {
      out.set(
        symbol,
        [...bySymbol.values()].map((entry) => entry.bar).sort((a, b) => a.minute - b.minute),
      );
    }
    return out;
  }
}
