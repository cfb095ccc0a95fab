import type { DigestBar } from '../../pipeline/digest/digest.js';
import type { MinuteBar } from '../../shared/ports/quote-store.js';

/** Minute bars from a list of closes, one a minute from `startTs`; each opens at the previous close. */
export function barsFromCloses(startTs: number, closes: readonly number[]): DigestBar[] {
  return closes.map((close, i) => {
    const open = i === 0 ? close : (closes[i - 1] as number);
    return {
      minute: startTs + i * 60_000,
      open,
      high: Math.max(open, close),
      low: Math.min(open, close),
      close,
    };
  });
}

/** The same bars as the detector writes them to the Quotes table. */
export function asMinuteBars(symbol: string, bars: readonly DigestBar[]): MinuteBar[] {
  return bars.map((bar) => ({
    symbol,
    ...bar,
    volume: 100,
    openTs: bar.minute,
    highTs: bar.minute + 20_000,
    lowTs: bar.minute + 40_000,
    closeTs: bar.minute + 59_000,
  }));
}
