import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DequeUndoLog, RollingExtremes } from '../../pipeline/detect/rolling-extremes.js';

/** A run of trades: time steps (ms) and prices, so that times never go backwards. */
const trades = (maxLength: number) =>
  fc.array(fc.tuple(fc.integer({ min: 0, max: 4_000 }), fc.integer({ min: 1, max: 60 })), {
    maxLength,
  });

function feed(window: RollingExtremes, run: readonly [number, number][], from: number): number {
  let ts = from;
  for (const [step, price] of run) {
    ts += step;
    window.push(ts, price);
  }
  return ts;
}

function extremes(window: RollingExtremes) {
  return { high: window.high, low: window.low, size: window.size };
}

describe('RollingExtremes under a DequeUndoLog', () => {
  // 10 s windows with 1 ms and 1 s buckets; runs long enough to grow, shrink and wrap the rings.
  const shapes = [
    { windowMs: 10_000, bucketMs: 1 },
    { windowMs: 10_000, bucketMs: 1_000 },
  ];

  it.each(shapes)(
    'is back exactly where it was after a rollback ($bucketMs ms buckets)',
    ({ windowMs, bucketMs }) => {
      fc.assert(
        fc.property(trades(60), trades(200), trades(60), (before, batch, after) => {
          const undone = new RollingExtremes(windowMs, bucketMs);
          const untouched = new RollingExtremes(windowMs, bucketMs);
          const start = feed(undone, before, 0);
          feed(untouched, before, 0);
          const log = new DequeUndoLog();
          undone.protect(log);
          feed(undone, batch, start);
          log.rollback();

          expect(extremes(undone)).toEqual(extremes(untouched));
          // The same continuation gives the same extremes at every trade: nothing hidden differs either.
          let ts = start;
          for (const [step, price] of after) {
            ts += step;
            undone.push(ts, price);
            untouched.push(ts, price);
            expect(extremes(undone)).toEqual(extremes(untouched));
          }
        }),
        { numRuns: 300 },
      );
    },
  );

  it.each(shapes)(
    'keeps every change of a committed batch ($bucketMs ms buckets)',
    ({ windowMs, bucketMs }) => {
      fc.assert(
        fc.property(trades(60), trades(200), (before, batch) => {
          const committed = new RollingExtremes(windowMs, bucketMs);
          const plain = new RollingExtremes(windowMs, bucketMs);
          const start = feed(committed, before, 0);
          feed(plain, before, 0);
          const log = new DequeUndoLog();
          committed.protect(log);
          feed(committed, batch, start);
          feed(plain, batch, start);
          log.commit();

          expect(extremes(committed)).toEqual(extremes(plain));
        }),
        { numRuns: 200 },
      );
    },
  );
});
