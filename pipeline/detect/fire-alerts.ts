import { type Alert, type AlertFields, alertIdFor } from '../../shared/domain/alert.js';
import type { Trade } from '../../shared/domain/trade.js';
import type { RollingExtremes } from './rolling-extremes.js';
import type { ThresholdBook, WatchMachine } from './threshold-book.js';

/**
 * Appends to `fired` the alerts `book` fires at `move`, measured from `window`'s high (down) or low (up).
 * Off the per-trade path: only runs when someone alerts, so its closure costs nothing per trade.
 */
export function fireBook(
  book: ThresholdBook,
  window: RollingExtremes,
  down: boolean,
  trade: Trade,
  move: number,
  fired: Alert[],
): void {
  const from = down ? window.highPrice : window.lowPrice;
  const fromTs = down ? window.highTs : window.lowTs;
  book.fireAll(move, (machine) => fired.push(alertOf(machine, trade, move, from, fromTs)));
}

function alertOf(
  machine: WatchMachine,
  trade: Trade,
  movePct: number,
  fromPrice: number,
  fromTs: number,
): Alert {
  const watch = machine.watch;
  const fields: AlertFields = {
    userKey: watch.userKey,
    symbol: trade.symbol,
    window: watch.window,
    direction: machine.direction,
    thresholdPct: watch.thresholdPct,
    level: machine.level,
    movePct,
    fromPrice,
    fromTs,
    toPrice: trade.price,
    toTs: trade.ts,
  };
  return { alertId: alertIdFor(fields, trade.size), ...fields };
}
