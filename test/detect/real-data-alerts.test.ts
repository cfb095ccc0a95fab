import { beforeAll, describe, expect, it } from 'vitest';
import type { Trade } from '../../shared/domain/trade.js';
import { bySymbol, HOUR_BAR_FILE, haveDataFile, readTrades, TICK_FILE } from '../oracle/market-data-files.js';
import { gridWatches, streamingAlerts } from '../oracle/streaming-alerts.js';

describe.skipIf(!haveDataFile(TICK_FILE, 'the bad-print tests on the real tick file'))(
  'the bad-tick filter on the real tick week (2013-10-07..11)',
  () => {
    let trades: Trade[];

    beforeAll(async () => {
      trades = await readTrades(TICK_FILE);
    });

    it('pages nobody at 1.5% over 5m, where every print at face value gives 58 alerts', () => {
      const watches = gridWatches(bySymbol(trades).keys(), [1.5], ['5m']);

      const unfiltered = streamingAlerts(trades, watches, { tickFilter: false });
      const filtered = streamingAlerts(trades, watches, { tickFilter: true });

      // The README's measurement: 52 on SPY 2013-10-10 and 6 on BAC, each an off-market print or the rebound.
      expect(unfiltered).toHaveLength(58);
      expect(unfiltered.filter((a) => a.symbol === 'SPY')).toHaveLength(52);
      const onKnownBadPrint = (symbol: string, iso: string) =>
        unfiltered.some((a) => a.symbol === symbol && a.toTs === Date.parse(iso));
      expect(onKnownBadPrint('SPY', '2013-10-10T15:16:15.279-04:00')).toBe(true);
      expect(onKnownBadPrint('BAC', '2013-10-09T15:43:34.205-04:00')).toBe(true);
      expect(filtered).toEqual([]);
    });

    it('keeps the 2% off-market prints out at a 1% threshold too', () => {
      const watches = gridWatches(bySymbol(trades).keys(), [1], ['5m']);
      const badPrints = [
        ['SPY', '2013-10-10T15:16:15.279-04:00'],
        ['SPY', '2013-10-10T15:19:52.836-04:00'],
        ['SPY', '2013-10-10T15:30:02.869-04:00'],
        ['BAC', '2013-10-09T15:43:34.205-04:00'],
        ['BAC', '2013-10-07T17:07:33.359-04:00'],
      ].map(([symbol, iso]) => `${symbol}|${Date.parse(iso as string)}`);
      const onBadPrint = (alerts: ReturnType<typeof streamingAlerts>) =>
        alerts.filter((a) => badPrints.includes(`${a.symbol}|${a.toTs}`));

      expect(
        onBadPrint(streamingAlerts(trades, watches, { tickFilter: false })).length,
      ).toBeGreaterThanOrEqual(4);
      expect(onBadPrint(streamingAlerts(trades, watches, { tickFilter: true }))).toEqual([]);
    });
  },
);

describe.skipIf(!haveDataFile(HOUR_BAR_FILE, 'the hourly-bar crash replays'))(
  'real crashes in the hourly bars, with the bad-tick filter on',
  () => {
    let trades: Trade[];

    beforeAll(async () => {
      trades = await readTrades(HOUR_BAR_FILE, { barLength: '1h' });
    });

    it('alerts SPY 5% down over 1h in the 14:00 hour of the 2010-05-06 flash crash', () => {
      const spy = trades.filter((t) => t.symbol === 'SPY');
      const watch = gridWatches(['SPY'], [5], ['1h']);
      const alerts = streamingAlerts(spy, watch, { tickFilter: true }).filter((a) => a.direction === 'down');

      const crash = alerts.filter(
        (a) =>
          a.toTs >= Date.parse('2010-05-06T14:00:00-04:00') &&
          a.toTs < Date.parse('2010-05-06T15:00:00-04:00'),
      );
      expect(crash).toEqual([expect.objectContaining({ level: 1, toPrice: 106.13, fromPrice: 114.85 })]);
    });

    it('alerts AIG 20% up over 1h on 2008-09-16', () => {
      const aig = trades.filter((t) => t.symbol === 'AIG');
      const alerts = streamingAlerts(aig, gridWatches(['AIG'], [20], ['1h']), { tickFilter: true });

      const onTheDay = alerts.filter(
        (a) =>
          a.direction === 'up' &&
          a.toTs >= Date.parse('2008-09-16T00:00:00-04:00') &&
          a.toTs < Date.parse('2008-09-17T00:00:00-04:00'),
      );
      expect(onTheDay.length).toBeGreaterThanOrEqual(1);
      expect(onTheDay[0]?.movePct).toBeGreaterThanOrEqual(20);
    });

    it('changes no alert on clean bars: every alert is decided at the same trade as with the filter off', () => {
      const watches = gridWatches(bySymbol(trades).keys(), [2, 5, 10], ['1h', '1d']);
      const key = (a: {
        userKey: string;
        symbol: string;
        window: string;
        direction: string;
        level: number;
        toTs: number;
      }) => `${a.userKey}|${a.symbol}|${a.window}|${a.direction}|${a.level}|${a.toTs}`;

      const unfiltered = streamingAlerts(trades, watches, { tickFilter: false }).map(key);
      const filtered = streamingAlerts(trades, watches, { tickFilter: true }).map(key);

      expect(unfiltered.length).toBeGreaterThan(10_000);
      expect(filtered).toEqual(unfiltered);
    });
  },
);
