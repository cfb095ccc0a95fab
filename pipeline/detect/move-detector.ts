import { type Alert, type AlertFields, alertIdFor, type MoveDirection } from '../../shared/domain/alert.js';
import { marketSessionAt } from '../../shared/domain/market-session.js';
import type { Trade } from '../../shared/domain/trade.js';
import type { Watch } from '../../shared/domain/watch.js';
import { WINDOW_MS, WINDOWS, type WindowName } from '../../shared/domain/window.js';
import { RollingExtremes } from './rolling-extremes.js';

/** A trade this much older than its symbol's latest is a rewind (a replay restarted), not a late print. */
export const REWIND_TOLERANCE_MS = 1_000;

interface SymbolState {
  readonly windows: ReadonlyMap<WindowName, RollingExtremes>;
  /** Latest trade time seen for the symbol. */
  latestTs: number;
  /** Alert level per (watch, direction); absent means armed at level 0. */
  readonly levels: Map<string, number>;
}

/**
 * Decides alerts from trades, one symbol at a time (DESIGN.md "Move"):
 * down = (highest in W − price) / highest × 100, up = (price − lowest in W) / lowest × 100.
 * Per watch and direction a small state machine starts armed at level 0; a move of at least
 * (level + 1) × θ alerts and sets level = floor(move / θ); a move under θ / 2 re-arms it.
 * Every window is tracked for every symbol, so a watch added later starts with warm windows.
 *
 * Time comes from the trades. A print up to REWIND_TOLERANCE_MS late enters the windows at the
 * symbol's latest time; an older one means the feed was rewound (the same file replayed again), and
 * the symbol starts afresh, so a replay decides exactly what the first pass decided.
 */
export class MoveDetector {
  private readonly symbols = new Map<string, SymbolState>();

  /** Feeds one trade and returns the alerts it fires for `watches` (the watchers of its symbol). */
  onTrade(trade: Trade, watches: readonly Watch[]): Alert[] {
    let state = this.stateOf(trade.symbol);
    if (trade.ts < state.latestTs - REWIND_TOLERANCE_MS) {
      this.symbols.delete(trade.symbol);
      state = this.stateOf(trade.symbol);
    }
    state.latestTs = Math.max(state.latestTs, trade.ts);
    for (const extremes of state.windows.values()) extremes.push(state.latestTs, trade.price);
    const fired: Alert[] = [];
    for (const watch of watches) {
      const extremes = state.windows.get(watch.window) as RollingExtremes;
      if (watch.direction !== 'up') {
        const alert = this.check(state, watch, 'down', extremes, trade);
        if (alert) fired.push(alert);
      }
      if (watch.direction !== 'down') {
        const alert = this.check(state, watch, 'up', extremes, trade);
        if (alert) fired.push(alert);
      }
    }
    return fired;
  }

  /** Forgets all state, as a fresh Lambda environment would. */
  reset(): void {
    this.symbols.clear();
  }

  private check(
    state: SymbolState,
    watch: Watch,
    direction: MoveDirection,
    extremes: RollingExtremes,
    trade: Trade,
  ): Alert | undefined {
    const from = direction === 'down' ? extremes.high : extremes.low;
    if (from === undefined) return undefined;
    const movePct =
      direction === 'down'
        ? ((from.price - trade.price) / from.price) * 100
        : ((trade.price - from.price) / from.price) * 100;
    const key = `${watch.userKey}|${watch.window}|${watch.thresholdPct}|${direction}`;
    const level = state.levels.get(key) ?? 0;
    const threshold = watch.thresholdPct;
    if (movePct >= (level + 1) * threshold) {
      if (watch.hours === 'regular' && marketSessionAt(trade.ts) !== 'regular') return undefined;
      const newLevel = Math.max(level + 1, Math.floor(movePct / threshold));
      state.levels.set(key, newLevel);
      const fields: AlertFields = {
        userKey: watch.userKey,
        symbol: trade.symbol,
        window: watch.window,
        direction,
        thresholdPct: threshold,
        level: newLevel,
        movePct,
        fromPrice: from.price,
        fromTs: from.ts,
        toPrice: trade.price,
        toTs: trade.ts,
      };
      return { alertId: alertIdFor(fields, trade.size), ...fields };
    }
    if (level > 0 && movePct < threshold / 2) state.levels.delete(key);
    return undefined;
  }

  private stateOf(symbol: string): SymbolState {
    let state = this.symbols.get(symbol);
    if (state === undefined) {
      state = {
        windows: new Map(WINDOWS.map((window) => [window, new RollingExtremes(WINDOW_MS[window])])),
        latestTs: Number.NEGATIVE_INFINITY,
        levels: new Map(),
      };
      this.symbols.set(symbol, state);
    }
    return state;
  }
}
