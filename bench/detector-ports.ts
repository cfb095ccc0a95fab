/** In-memory ports for the detector benches: they count what the handler would write, and nothing more. */
import type { DetectorDeps } from '../pipeline/detect/detector-handler.js';
import type { Logger } from '../shared/ports/logger.js';
import type { MinuteBar, QuoteSnapshot, QuoteStore } from '../shared/ports/quote-store.js';

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** The Quotes table, minus the table: counts the quotes and minute bars written. */
export class CountingQuoteStore implements QuoteStore {
  quotes = 0;
  bars = 0;
  async saveQuotes(quotes: readonly QuoteSnapshot[]) {
    this.quotes += quotes.length;
  }
  async saveMinuteBars(bars: readonly MinuteBar[]) {
    this.bars += bars.length;
  }
  async loadQuote() {
    return undefined;
  }
  async minuteBarsBetween() {
    return [];
  }
}

/** The Alerts table and the alerts stream, minus both: every alert is new; `recorded` counts them. */
export function countingAlertPorts(): Pick<DetectorDeps, 'alerts' | 'publisher'> & { recorded(): number } {
  let recorded = 0;
  return {
    alerts: {
      async record() {
        recorded += 1;
        return { created: true, emitted: false };
      },
      async markEmitted() {},
    },
    publisher: { async publish() {} },
    recorded: () => recorded,
  };
}
