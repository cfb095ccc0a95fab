import { beforeAll, describe, expect, it } from 'vitest';
import type { Trade } from '../../shared/domain/trade.js';
import { WINDOW_MS, type WindowName } from '../../shared/domain/window.js';
import { bySymbol, HOUR_BAR_FILE, haveDataFile, readTrades, TICK_FILE } from './market-data-files.js';
import { type ReferenceAlert, referenceAlerts } from './reference-detector.js';
import { comparable, gridWatches, sortAlerts, streamingAlerts } from './streaming-alerts.js';

function oracleAlerts(
  trades: readonly Trade[],
  thresholds: readonly number[],
  windows: readonly WindowName[],
): ReferenceAlert[] {
  const alerts: ReferenceAlert[] = [];
  for (const symbolTrades of bySymbol(trades).values()) {
    for (const window of windows) {
      alerts.push(...referenceAlerts(symbolTrades, window, WINDOW_MS[window], thresholds));
    }
  }
  return sortAlerts(alerts);
}

function detectorAlerts(
  trades: readonly Trade[],
  thresholds: readonly number[],
  windows: readonly WindowName[],
): ReferenceAlert[] {
  const watches = gridWatches(bySymbol(trades).keys(), thresholds, windows);
  return sortAlerts(streamingAlerts(trades, watches, { tickFilter: false }).map(comparable));
}

describe.skipIf(!haveDataFile(TICK_FILE, 'the tick-data oracle test'))(
  'the streaming detector against the O(n·w) oracle, on a real trading day of ticks',
  () => {
    // 2013-10-07, 04:00 to 20:00 ET: every session of SPY, AIG, BAC and IBM, bad prints included.
    const from = Date.parse('2013-10-07T04:00:00-04:00');
    const to = Date.parse('2013-10-07T20:00:00-04:00');
    const thresholds = [0.1, 0.15, 0.25, 0.4, 0.6, 1, 1.5];
    const windows: WindowName[] = ['1m', '5m', '15m'];
    let trades: Trade[];

    beforeAll(async () => {
      trades = await readTrades(TICK_FILE, { fromTs: from, toTs: to, sortedByTime: true });
    });

    it('covers a full regular session of all four symbols', () => {
      const regular = trades.filter(
        (t) =>
          t.ts >= Date.parse('2013-10-07T09:30:00-04:00') && t.ts < Date.parse('2013-10-07T16:00:00-04:00'),
      );
      expect([...bySymbol(regular).keys()].sort()).toEqual(['AIG', 'BAC', 'IBM', 'SPY']);
      expect(regular.length).toBeGreaterThan(300_000);
    });

    it('decides exactly the alerts the oracle decides, for every threshold and window', () => {
      const expected = oracleAlerts(trades, thresholds, windows);
      const actual = detectorAlerts(trades, thresholds, windows);

      expect(expected.length).toBeGreaterThan(1_000);
      expect(new Set(expected.map((a) => `${a.window}|${a.thresholdPct}`)).size).toBe(
        thresholds.length * windows.length,
      );
      expect(actual.length).toBe(expected.length);
      expect(actual).toEqual(expected);
    });
  },
);

describe.skipIf(!haveDataFile(HOUR_BAR_FILE, 'the hourly-bar oracle test'))(
  'the streaming detector against the O(n·w) oracle, on 23 years of hourly bars',
  () => {
    const thresholds = [1, 2, 3.5, 5, 10, 20];
    const windows: WindowName[] = ['1h', '1d'];
    let trades: Trade[];

    beforeAll(async () => {
      trades = await readTrades(HOUR_BAR_FILE, { barLength: '1h' });
    });

    it('decides exactly the alerts the oracle decides, for every threshold and window', () => {
      const expected = oracleAlerts(trades, thresholds, windows);
      const actual = detectorAlerts(trades, thresholds, windows);

      expect(trades.length).toBe(225_020 * 4);
      expect(new Set(expected.map((a) => `${a.window}|${a.thresholdPct}`)).size).toBe(
        thresholds.length * windows.length,
      );
      expect(actual.length).toBe(expected.length);
      expect(actual).toEqual(expected);
    });
  },
);
