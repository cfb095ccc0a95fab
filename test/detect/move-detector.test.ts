import { describe, expect, it } from 'vitest';
import { MoveDetector } from '../../pipeline/detect/move-detector.js';
import type { Watch } from '../../shared/domain/watch.js';

const T0 = Date.parse('2024-03-05T10:00:00-05:00');
const MIN = 60_000;

function watch(overrides: Partial<Watch> = {}): Watch {
  return {
    userKey: 'console:alice',
    symbol: 'BAC',
    thresholdPct: 3,
    window: '15m',
    direction: 'both',
    hours: 'all',
    createdAt: 0,
    ...overrides,
  };
}

function feed(
  detector: MoveDetector,
  watches: readonly Watch[],
  prices: readonly (readonly [number, number])[],
) {
  return prices.flatMap(([minute, price]) =>
    detector.onTrade({ symbol: 'BAC', ts: T0 + minute * MIN, price, size: 100 }, watches),
  );
}

describe('MoveDetector', () => {
  it('alerts once when a fall from the window high reaches the threshold', () => {
    const alerts = feed(
      new MoveDetector({ tickFilter: false }),
      [watch()],
      [
        [0, 100],
        [1, 98.5],
        [2, 97.1],
        [3, 96.9],
        [4, 96.5],
      ],
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      direction: 'down',
      level: 1,
      fromPrice: 100,
      toPrice: 96.9,
      fromTs: T0,
    });
    expect(alerts[0]?.movePct).toBeCloseTo(3.1, 6);
  });

  it('escalates at twice the threshold and not in between', () => {
    const alerts = feed(
      new MoveDetector({ tickFilter: false }),
      [watch({ direction: 'down' })],
      [
        [0, 100],
        [1, 97],
        [2, 95],
        [3, 94],
        [4, 93.9],
      ],
    );
    expect(alerts.map((alert) => alert.level)).toEqual([1, 2]);
  });

  it('re-arms only after the move falls under half the threshold', () => {
    const alerts = feed(
      new MoveDetector({ tickFilter: false }),
      [watch({ direction: 'down', window: '5m' })],
      [
        [0, 100],
        [1, 96.9], // 3.1% down: alert
        [2, 98], // 2% down: still armed at level 1
        [3, 96.8], // 3.2% again: no second alert
        [9, 96.8], // the 100 left the window: move 0, re-armed
        [10, 93.8], // 3.1% from 96.8: alert again
      ],
    );
    expect(alerts.map((alert) => [alert.level, alert.toPrice])).toEqual([
      [1, 96.9],
      [1, 93.8],
    ]);
  });

  it('measures a rise from the window low for up watches', () => {
    const alerts = feed(
      new MoveDetector({ tickFilter: false }),
      [watch({ direction: 'up' })],
      [
        [0, 100],
        [1, 99],
        [2, 102.1],
      ],
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ direction: 'up', fromPrice: 99, toPrice: 102.1 });
  });

  it('ignores moves older than the window', () => {
    const alerts = feed(
      new MoveDetector({ tickFilter: false }),
      [watch({ window: '1m' })],
      [
        [0, 100],
        [2, 96],
      ],
    );
    expect(alerts).toEqual([]);
  });

  it('gives the same alert id to the same crossing in a fresh detector', () => {
    const prices = [
      [0, 100],
      [1, 96.9],
    ] as const;
    const first = feed(new MoveDetector({ tickFilter: false }), [watch()], prices);
    const second = feed(new MoveDetector({ tickFilter: false }), [watch()], prices);
    expect(first[0]?.alertId).toMatch(/^[0-9a-f]{32}$/);
    expect(second[0]?.alertId).toBe(first[0]?.alertId);
  });

  it('keeps regular-hours watches quiet after the close', () => {
    const afterClose = Date.parse('2024-03-05T16:30:00-05:00');
    const detector = new MoveDetector({ tickFilter: false });
    const regular = [watch({ hours: 'regular' })];
    detector.onTrade({ symbol: 'BAC', ts: afterClose, price: 100, size: 100 }, regular);
    expect(detector.onTrade({ symbol: 'BAC', ts: afterClose + MIN, price: 90, size: 100 }, regular)).toEqual(
      [],
    );
    const all = [watch({ hours: 'all' })];
    expect(
      detector.onTrade({ symbol: 'BAC', ts: afterClose + 2 * MIN, price: 90, size: 100 }, all),
    ).toHaveLength(1);
  });

  it('starts a symbol afresh when its feed is rewound, deciding the same alerts again', () => {
    const detector = new MoveDetector({ tickFilter: false });
    const session = [
      [0, 100],
      [5, 101],
      [10, 97.5],
      [20, 99],
    ] as const;
    const first = feed(detector, [watch()], session);
    const replayed = feed(detector, [watch()], session);
    expect(first).toHaveLength(1);
    expect(replayed.map((alert) => alert.alertId)).toEqual(first.map((alert) => alert.alertId));
  });

  it('takes a slightly late print at the latest time instead of rewinding', () => {
    const detector = new MoveDetector({ tickFilter: false });
    detector.onTrade({ symbol: 'BAC', ts: T0, price: 100, size: 100 }, [watch()]);
    detector.onTrade({ symbol: 'BAC', ts: T0 + 2_000, price: 100.5, size: 100 }, [watch()]);
    // 500 ms late: still part of the same window, so the 100.5 high is kept and the fall is measured from it.
    const alerts = detector.onTrade({ symbol: 'BAC', ts: T0 + 1_500, price: 97.4, size: 100 }, [watch()]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ fromPrice: 100.5, toPrice: 97.4 });
  });
});
