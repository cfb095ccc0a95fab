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

  /** Index of the start of deque `deque`: the head of its group's longest window, on its side. */
  startIndex(deque: number): number {
    return this.heads + this.longestOf(deque) * 2 + (deque & 1);
  }
}

/** Doubles per deque entry: the time of its value, the value, the latest time merged into it. */
export const ENTRY = 3;
/** Entries a deque starts with, and never goes under. */
export const MIN_ENTRIES = 4;
/** {@link relaidOut}'s `grow` when the set shrinks, and when it only renumbers its positions. */
export const SHRINK = -1;
export const RENUMBER = -2;

/** A set's first array: every deque empty, with MIN_ENTRIES positions. */
export function emptyArray(layout: WindowLayout): number[] {
  const array = doubleArray(layout.headerSize + layout.deques * MIN_ENTRIES * ENTRY);
  for (let i = 0; i < layout.headerSize; i += 1) array[i] = 0;
  for (let deque = 0; deque < layout.deques; deque += 1) {
    array[deque * 3] = layout.headerSize + deque * MIN_ENTRIES * ENTRY;
    array[deque * 3 + 1] = MIN_ENTRIES - 1;
  }
  return array;
}

/**
 * A set's array `d` moved to a new one: deque `grow`, which is full, with twice its room and the others
 * with the room they had; or (`grow` SHRINK, the set holds a quarter of its room or less) each deque with
 * room for twice what it holds; or (RENUMBER) each with the room it had. So a deque that outgrows its
 * ring does not shrink the others (which then regrew in turn: two thirds of the relayouts of a quiet day
 * at 10,000 symbols), and a small deque that fills and empties beside a long one does not copy the long
 * one each time. The old array is left as it was
 * (a protected set goes back to it). Every deque's positions are renumbered from below its room.
 */
export function relaidOut(layout: WindowLayout, d: readonly number[], grow: number): number[] {
  const rooms: number[] = [];
  let size = layout.headerSize;
  for (let deque = 0; deque < layout.deques; deque += 1) {
    const length = (d[deque * 3 + 2] as number) - (d[layout.startIndex(deque)] as number);
    let room = MIN_ENTRIES;
    if (grow === SHRINK || deque === grow) {
      while (room < length * 2 || (deque === grow && room <= length)) room *= 2;
    } else {
      room = (d[deque * 3 + 1] as number) + 1;
    }
    rooms.push(room);
    size += room * ENTRY;
  }
  const next = doubleArray(size);
  for (let i = 0; i < layout.headerSize; i += 1) next[i] = d[i] as number;
  let base = layout.headerSize;
  for (let deque = 0; deque < layout.deques; deque += 1) {
    const room = rooms[deque] as number;
    const oldBase = d[deque * 3] as number;
    const oldMask = d[deque * 3 + 1] as number;
    const start = d[layout.startIndex(deque)] as number;
    const end = d[deque * 3 + 2] as number;
    for (let p = start; p < end; p += 1) {
      const from = oldBase + (p & oldMask) * ENTRY;
      const to = base + (p & (room - 1)) * ENTRY;
      next[to] = d[from] as number;
      next[to + 1] = d[from + 1] as number;
      next[to + 2] = d[from + 2] as number;
    }
    next[deque * 3] = base;
    next[deque * 3 + 1] = room - 1;
    base += room * ENTRY;
    // Renumbered down by a multiple of the room (ring indices unchanged), so positions stay small
    // integers; what protect() saved is left as it is, in the numbering of the saved array.
    const shift = start - (start % room);
    next[deque * 3 + 2] = end - shift;
    const side = deque & 1;
    const group = deque >> 1;
    for (let i = layout.groupFrom[group] as number; i < (layout.groupFrom[group + 1] as number); i += 1) {
      const at = layout.heads + (layout.order[i] as number) * 2 + side;
      next[at] = (d[at] as number) - shift;
    }
  }
  return next;
}

/** An array of `length` doubles, filled with a double so that V8 keeps it unboxed from the start. */
function doubleArray(length: number): number[] {
  return new Array<number>(length).fill(0.5);
}
