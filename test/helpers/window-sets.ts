import { WindowLayout, type WindowShape } from '../../pipeline/detect/window-layout.js';
import { WindowSet } from '../../pipeline/detect/window-set.js';

/** A set of the one window `windowMs` long, in `bucketMs` buckets: its index is 0. */
export function oneWindow(windowMs: number, bucketMs = 1): WindowSet {
  return new WindowSet(new WindowLayout([{ windowMs, bucketMs }]));
}

/** A set of `shapes`, and one single-window set per shape beside it: what the set must agree with. */
export function setAndSingles(shapes: readonly WindowShape[]) {
  return {
    set: new WindowSet(new WindowLayout(shapes)),
    singles: shapes.map((shape) => oneWindow(shape.windowMs, shape.bucketMs)),
  };
}

/** Everything a window shows: its extremes, their times, and how many points its deques hold. */
export function extremesOf(set: WindowSet, window = 0) {
  return { high: set.high(window), low: set.low(window), size: set.size(window) };
}
