import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WindowLayout, type WindowShape } from '../../pipeline/detect/window-layout.js';
import { WindowSet } from '../../pipeline/detect/window-set.js';
import { WindowUndoLog } from '../../pipeline/detect/window-undo-log.js';
import { extremesOf } from '../helpers/window-sets.js';

/**
 * A run of trades: time steps (ms) and prices, so that times never go backwards. Short steps as often as
 * long ones, so that trades often share a bucket (merges into an entry the batch found live).
 */
const trades = (maxLength: number) =>
  fc.array(
    fc.tuple(
      fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 4_000 })),
      fc.integer({ min: 1, max: 60 }),
    ),
    { maxLength },
  );

function feed(set: WindowSet, run: readonly [number, number][], from: number): number {
  let ts = from;
  for (const [step, price] of run) {
    ts += step;
    set.push(ts, price);
  }
  return ts;
}

function everyWindow(set: WindowSet) {
  return set.layout.windowMs.map((_, window) => extremesOf(set, window));
}

describe('WindowSet under a WindowUndoLog', () => {
  // Runs long enough to grow, shrink and wrap the rings: one 10 s window in 1 ms and 1 s buckets, and a
  // set whose exact windows share their deques beside a bucketed one.
  const shapes: { name: string; windows: WindowShape[] }[] = [
    { name: 'one exact window', windows: [{ windowMs: 10_000, bucketMs: 1 }] },
    { name: 'one bucketed window', windows: [{ windowMs: 10_000, bucketMs: 1_000 }] },
    {
      name: 'shared and bucketed windows',
      windows: [
        { windowMs: 2_000, bucketMs: 1 },
        { windowMs: 10_000, bucketMs: 1 },
        { windowMs: 20_000, bucketMs: 2_000 },
      ],
    },
  ];

  it.each(shapes)('is back exactly where it was after a rollback ($name)', ({ windows }) => {
    const layout = new WindowLayout(windows);
    fc.assert(
      fc.property(trades(60), trades(200), trades(60), (before, batch, after) => {
        const undone = new WindowSet(layout);
        const untouched = new WindowSet(layout);
        const start = feed(undone, before, 0);
        feed(untouched, before, 0);
        const log = new WindowUndoLog();
        undone.protect(log);
        feed(undone, batch, start);
        log.rollback();

        expect(everyWindow(undone)).toEqual(everyWindow(untouched));
        // The same continuation gives the same extremes at every trade: nothing hidden differs either.
        let ts = start;
        for (const [step, price] of after) {
          ts += step;
          undone.push(ts, price);
          untouched.push(ts, price);
          expect(everyWindow(undone)).toEqual(everyWindow(untouched));
        }
      }),
      { numRuns: 300 },
    );
  });

  it.each(shapes)('keeps every change of a committed batch ($name)', ({ windows }) => {
    const layout = new WindowLayout(windows);
    fc.assert(
      fc.property(trades(60), trades(200), (before, batch) => {
        const committed = new WindowSet(layout);
        const plain = new WindowSet(layout);
        const start = feed(committed, before, 0);
        feed(plain, before, 0);
        const log = new WindowUndoLog();
        committed.protect(log);
        feed(committed, batch, start);
        feed(plain, batch, start);
        log.commit();

        expect(everyWindow(committed)).toEqual(everyWindow(plain));
      }),
      { numRuns: 200 },
    );
  });

  it('puts back the numbers kept beside the windows, also when the batch moved the set to a new array', () => {
    const layout = new WindowLayout([{ windowMs: 10_000, bucketMs: 1 }], 2);
    fc.assert(
      fc.property(trades(60), trades(200), fc.double({ noNaN: true }), (before, batch, written) => {
        const set = new WindowSet(layout);
        const start = feed(set, before, 0);
        set.array[layout.extra] = 1.5;
        set.array[layout.extra + 1] = -2;
        const log = new WindowUndoLog();
        set.protect(log);
        set.array[layout.extra] = written;
        feed(set, batch, start);
        set.array[layout.extra + 1] = written;
        log.rollback();

        expect([set.array[layout.extra], set.array[layout.extra + 1]]).toEqual([1.5, -2]);
      }),
      { numRuns: 200 },
    );
  });
});
