import type { Trade } from '../../shared/domain/trade.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { QuoteStore } from '../../shared/ports/quote-store.js';
import { type MoveDetector, REWIND_TOLERANCE_MS } from './move-detector.js';

const DAY_MS = 24 * 3_600_000;

/**
 * Restores every symbol of the batch that this process has not seen yet (a fresh Lambda environment or
 * runner) from the Quotes table: one GetItem for its quote and, when the batch continues where that quote
 * left off, one Query for the minute bars of the day before its first trade (the longest window).
 */
export async function restoreColdSymbols(
  detector: MoveDetector,
  store: QuoteStore,
  trades: readonly Trade[],
  logger: Logger,
): Promise<void> {
  const firstTs = new Map<string, number>();
  for (const trade of trades) {
    if (!firstTs.has(trade.symbol) && !detector.isWarm(trade.symbol)) firstTs.set(trade.symbol, trade.ts);
  }
  await Promise.all(
    [...firstTs].map(async ([symbol, ts]) => {
      const snapshot = await store.loadQuote(symbol);
      if (snapshot === undefined || ts < snapshot.ts - REWIND_TOLERANCE_MS) return;
      const bars = await store.minuteBarsBetween(
        symbol,
        ts - DAY_MS - (ts % 60_000),
        snapshot.openBar.minute,
      );
      // Another batch of the same symbol may have warmed it while the reads were in flight.
      if (detector.isWarm(symbol)) return;
      detector.restore(symbol, snapshot, bars, ts);
      logger.info('symbol restored after a cold start', {
        symbol,
        minuteBars: bars.length,
        quoteTs: snapshot.ts,
      });
    }),
  );
}
