import { type Alert, type AlertFields, alertIdFor } from '../../shared/domain/alert.js';
import type { Trade } from '../../shared/domain/trade.js';
import type { ThresholdBook, WatchMachine } from './threshold-book.js';
import type { WindowSet } from './window-set.js';

/**
 * Appends to `fired` the alerts `book` fires at `move`, measured from the high (down) or low (up) of
 * window `window` of `windows`.
 * Off the per-trade path: only runs when someone alerts, so its closure costs nothing per trade.
 */
export function fireBook(
  book: ThresholdBook,
  windows: WindowSet,
  window: number,
  down: boolean,
  trade: Trade,
  move: number,
  fired: Alert[],
): void {
  const from = down ? windows.highPrice(window) : windows.lowPrice(window);
  const fromTs = down ? windows.highTs(window) : windows.lowTs(window);
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
