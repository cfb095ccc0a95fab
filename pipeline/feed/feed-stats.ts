/** What the status line and the metrics report. */
export interface FeedSnapshot {
  readonly state: 'connecting' | 'live' | 'reconnecting' | 'stopped' | 'failed';
  readonly symbolsOnTrades: number;
  readonly symbolsOnBars: number | 'all';
  readonly tradesPerSec: number;
  /** Wall time since the last trade arrived, or undefined before the first. */
  readonly lastTradeAgeMs: number | undefined;
  /** Now minus the last trade's own time: how far behind the market the feed is. */
  readonly feedLagMs: number | undefined;
  readonly reconnects: number;
  readonly gapsBackfilled: number;
  readonly tradesBackfilled: number;
  readonly duplicatesDropped: number;
  /** History requests that failed: each leaves a hole, logged as `backfill failed` with its window. */
  readonly backfillFailures: number;
  readonly droppedByCondition: Readonly<Record<string, number>>;
  readonly tradesWritten: number;
}

/** One line for a person, e.g. `live: 12 symbols on trades, 88 on bars · 340 trades/s · last trade 0.2 s ago · 1 reconnect`. */
export function statusLine(snapshot: FeedSnapshot): string {
  const bars = snapshot.symbolsOnBars === 'all' ? 'the whole market' : String(snapshot.symbolsOnBars);
  const age =
    snapshot.lastTradeAgeMs === undefined
      ? 'no trade yet'
      : `last trade ${(snapshot.lastTradeAgeMs / 1000).toFixed(1)} s ago`;
  const reconnects = `${snapshot.reconnects} reconnect${snapshot.reconnects === 1 ? '' : 's'}`;
  return `feed ${snapshot.state}: ${snapshot.symbolsOnTrades} symbols on trades, ${bars} on minute bars · ${Math.round(snapshot.tradesPerSec)} trades/s · ${age} · ${reconnects}`;
}

/** Trades per second over the last few seconds, from one counter per second. */
export class RateMeter {
  private readonly buckets = new Map<number, number>();

  constructor(
    private readonly windowSeconds = 5,
    private readonly now: () => number = Date.now,
  ) {}

  add(count = 1): void {
    const second = Math.floor(this.now() / 1000);
    this.buckets.set(second, (this.buckets.get(second) ?? 0) + count);
    if (this.buckets.size > this.windowSeconds + 2) {
      for (const key of this.buckets.keys()) if (key < second - this.windowSeconds) this.buckets.delete(key);
    }
  }

  perSecond(): number {
    const current = Math.floor(this.now() / 1000);
    let total = 0;
    for (const [second, count] of this.buckets) {
      if (second >= current - this.windowSeconds && second < current) total += count;
    }
    return total / this.windowSeconds;
  }
}
