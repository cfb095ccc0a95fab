import { readSymbol, SYMBOL_RULE_TEXT } from '../../shared/domain/symbol.js';
import {
  type Direction,
  MAX_THRESHOLD_PCT,
  MIN_THRESHOLD_PCT,
  type Watch,
} from '../../shared/domain/watch.js';
import { isWindowName, WINDOWS } from '../../shared/domain/window.js';

const DIRECTIONS: readonly Direction[] = ['up', 'down', 'both'];

/** A parsed `SYMBOL:THRESHOLD:WINDOW[:DIRECTION]`, or what is wrong with it in words a person can act on. */
export type WatchSpecResult = { readonly watch: Watch } | { readonly error: string };

/**
 * Parses a backtest watch: `BAC:3:15m`, `SPY:5%:1h:down`. The direction defaults to `both`; hours are
 * always `all` (a backtest looks at every session). The user key is `backtest:<spec>`.
 */
export function parseWatchSpec(text: string): WatchSpecResult {
  const parts = text.trim().split(':');
  const example = 'write SYMBOL:THRESHOLD:WINDOW[:DIRECTION], like BAC:3:15m or SPY:5%:1h:down';
  if (parts.length < 3 || parts.length > 4) return { error: `watch "${text}": ${example}` };
  const [rawSymbol, rawThreshold, rawWindow, rawDirection] = parts as [string, string, string, string?];
  const reading = readSymbol(rawSymbol);
  if (!reading.ok)
    return { error: `watch "${text}": "${rawSymbol}" is not a symbol (${SYMBOL_RULE_TEXT}); ${example}` };
  const { symbol } = reading;
  const thresholdText = rawThreshold.trim().replace(/%$/, '');
  const thresholdPct = Number(thresholdText);
  if (thresholdText === '' || !Number.isFinite(thresholdPct)) {
    return { error: `watch "${text}": threshold "${rawThreshold}" is not a number; ${example}` };
  }
  if (thresholdPct < MIN_THRESHOLD_PCT || thresholdPct > MAX_THRESHOLD_PCT) {
    return {
      error: `watch "${text}": threshold ${thresholdPct}% is out of range; use ${MIN_THRESHOLD_PCT} to ${MAX_THRESHOLD_PCT}`,
    };
  }
  const window = rawWindow.trim().toLowerCase();
  if (!isWindowName(window)) {
    return { error: `watch "${text}": window "${rawWindow}" is not one of ${WINDOWS.join(', ')}` };
  }
  const direction = (rawDirection ?? 'both').trim().toLowerCase();
  if (!(DIRECTIONS as readonly string[]).includes(direction)) {
    return { error: `watch "${text}": direction "${rawDirection}" is not one of ${DIRECTIONS.join(', ')}` };
  }
  return {
    watch: {
      userKey: `backtest:${symbol}:${thresholdPct}:${window}:${direction}`,
      symbol,
      thresholdPct,
      window,
      direction: direction as Direction,
      hours: 'all',
      createdAt: 0,
    },
  };
}
