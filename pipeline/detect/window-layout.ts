/** One rolling window: its length, and the time bucket its trades merge within (see WindowSet). */
export interface WindowShape {
  readonly windowMs: number;
  readonly bucketMs: number;
}

/**
 * Where each number of a {@link WindowSet} lives in its one array, for a list of window shapes; one
 * layout is shared by every set of those shapes.
 *
 * Windows of the same bucket share one pair of deques (max and min), the group's longest window's:
 * a shorter window's deque is always the suffix of the longer one's whose entries are in the shorter
 * window, since whether a trade is in a max deque depends only on the trades after it. (A trade that a
 * shorter window's deque would have merged into its back entry cannot find that entry gone from it and
 * only in the longer one's: that entry would be in the same bucket as the trade, so inside any window at
 * least a bucket long.) So a group keeps one head per window and side, and the five windows of the
 * detector (1m, 5m and 15m exact, 1h in 10 s buckets, 1d in 5 min buckets) need three pairs, not five.
 *
 * The array: per deque (group × 2 + side, side 0 the max deque, 1 the min deque of negated prices) its
 * ring's base index, mask and end position; per window and side its head position; then what
 * {@link WindowSet.protect} saved (per deque its end and how far its log has saved, per window and side
 * its head); then `extras` numbers its owner keeps beside the windows, and their saved copies; then the
 * rings (see WindowSet). Positions only grow (ring index = position & mask).
 */
export class WindowLayout {
  readonly windowMs: readonly number[];
  readonly groups: number;
  readonly deques: number;
  readonly bucketMs: readonly number[];
  /** Windows ordered by group, longest first in each: group g's are order[groupFrom[g]..groupFrom[g + 1]). */
  readonly order: readonly number[];
  readonly groupFrom: readonly number[];
  /** Per window, its group. */
  readonly groupOf: readonly number[];
  /** Index of the first head (window 0, side 0); a head is at heads + window × 2 + side. */
  readonly heads: number;
  /** Index of the first saved field. */
  readonly saved: number;
  /** Index of the first extra number, and of its saved copy. */
  readonly extra: number;
  readonly savedExtra: number;
  readonly headerSize: number;

  constructor(
    shapes: readonly WindowShape[],
    /** Numbers kept beside the windows and saved and restored with them (see WindowSet.array). */
    readonly extras = 0,
  ) {
    const buckets = [...new Set(shapes.map((shape) => shape.bucketMs))];
    for (const shape of shapes) {
      if (shape.windowMs < shape.bucketMs) {
        throw new Error(
          `a ${shape.windowMs} ms window cannot have ${shape.bucketMs} ms buckets: use a bucket no longer than the window`,
        );
      }
    }
    this.windowMs = shapes.map((shape) => shape.windowMs);
    this.groups = buckets.length;
    this.deques = buckets.length * 2;
    this.bucketMs = buckets;
    this.groupOf = shapes.map((shape) => buckets.indexOf(shape.bucketMs));
    const order: number[] = [];
    const groupFrom: number[] = [];
    buckets.forEach((_, group) => {
      groupFrom.push(order.length);
      const members = shapes.map((_, window) => window).filter((window) => this.groupOf[window] === group);
      members.sort((a, b) => (shapes[b] as WindowShape).windowMs - (shapes[a] as WindowShape).windowMs);
      order.push(...members);
    });
    groupFrom.push(order.length);
    this.order = order;
    this.groupFrom = groupFrom;
    this.heads = this.deques * 3;
    this.saved = this.heads + shapes.length * 2;
    this.extra = this.saved + this.deques * 2 + shapes.length * 2;
    this.savedExtra = this.extra + extras;
    this.headerSize = this.savedExtra + extras;
  }

  /** The window whose head is the start of deque `deque`: its group's longest. */
  longestOf(deque: number): number {
    return this.order[this.groupFrom[deque >> 1] as number] as number;
  }
}
