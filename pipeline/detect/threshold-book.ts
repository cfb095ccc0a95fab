import type { MoveDirection } from '../../shared/domain/alert.js';
import type { Watch } from '../../shared/domain/watch.js';

/** One watch's state machine for one direction: armed at level 0, alerting at (level + 1) × θ. */
export class WatchMachine {
  level: number;
  /** The move that alerts next: (level + 1) × θ. */
  trigger: number;
  /** Under this move the machine re-arms: θ / 2. */
  readonly rearmBelow: number;
  firePos = -1;
  rearmPos = -1;

  constructor(
    readonly watch: Watch,
    readonly direction: MoveDirection,
    level: number,
  ) {
    this.level = level;
    this.trigger = (level + 1) * watch.thresholdPct;
    this.rearmBelow = watch.thresholdPct / 2;
  }

  /** `userKey|window|θ|direction`: the key levels are persisted under (built on demand, not kept per machine). */
  get key(): string {
    return levelKey(this.watch, this.direction);
  }
}

/** The level key of a watch and direction, as persisted for cold starts. */
export function levelKey(watch: Watch, direction: MoveDirection): string {
  return `${watch.userKey}|${watch.window}|${watch.thresholdPct}|${direction}`;
}

/**
 * The watch machines of one symbol, window, direction and hours setting, so that a trade costs O(1)
 * whatever the number of watchers: a min-heap on the next trigger says at once whether anyone alerts,
 * and a max-heap on θ / 2 over the machines above level 0 says whether anyone re-arms. Only machines
 * that change state are touched, at O(log n) each.
 */
export class ThresholdBook {
  /** Every machine of the book (fireAll puts each one back), ordered as a min-heap on the trigger. */
  private readonly fire: WatchMachine[];
  /** Created on the first machine above level 0: most books of most symbols never need one. */
  private rearm: WatchMachine[] | undefined;

  /** Arrays built at their exact size: 10,000 symbols hold 100,000 books, and push() over-allocates. */
  constructor(machines: WatchMachine[]) {
    // A sorted array is a valid heap.
    this.fire = machines.sort((a, b) => a.trigger - b.trigger);
    this.fire.forEach((machine, pos) => {
      FIRE.setPos(machine, pos);
    });
    for (const machine of machines) {
      if (machine.level > 0) heapPush(this.rearmHeap(), machine, REARM);
    }
  }

  get machines(): readonly WatchMachine[] {
    return this.fire;
  }

  /** Whether `move` (in percent) alerts anyone; cheap enough to call on every trade. */
  alerts(move: number): boolean {
    const top = this.fire[0];
    return top !== undefined && move >= top.trigger;
  }

  /**
   * Moves every machine `move` alerts to its new level, floor(move / θ), and calls `onAlert` for each.
   * Call only when {@link alerts} is true.
   */
  fireAll(move: number, onAlert: (machine: WatchMachine) => void): void {
    // Take every alerting machine out first, so that each alerts at most once per trade.
    const alerting: WatchMachine[] = [];
    for (let top = this.fire[0]; top !== undefined && move >= top.trigger; top = this.fire[0]) {
      heapPop(this.fire, FIRE);
      alerting.push(top);
    }
    for (const machine of alerting) {
      const threshold = machine.watch.thresholdPct;
      // Guards the rare float case where move ≥ (level + 1) × θ yet floor(move / θ) rounds to level.
      machine.level = Math.max(machine.level + 1, Math.floor(move / threshold));
      machine.trigger = (machine.level + 1) * threshold;
      heapPush(this.fire, machine, FIRE);
      if (machine.rearmPos < 0) heapPush(this.rearmHeap(), machine, REARM);
      onAlert(machine);
    }
  }

  private rearmHeap(): WatchMachine[] {
    if (this.rearm === undefined) this.rearm = [];
    return this.rearm;
  }

  /** Re-arms every machine above level 0 whose θ / 2 exceeds `move`. */
  rearmUnder(move: number): void {
    const rearm = this.rearm;
    if (rearm === undefined) return;
    for (let top = rearm[0]; top !== undefined && move < top.rearmBelow; top = rearm[0]) {
      heapPop(rearm, REARM);
      top.level = 0;
      top.trigger = top.watch.thresholdPct;
      siftUp(this.fire, top.firePos, FIRE);
    }
  }
}

interface HeapOrder {
  /** True when `a` belongs above `b`. */
  above(a: WatchMachine, b: WatchMachine): boolean;
  setPos(machine: WatchMachine, pos: number): void;
}

const FIRE: HeapOrder = {
  above: (a, b) => a.trigger < b.trigger,
  setPos: (machine, pos) => {
    machine.firePos = pos;
  },
};

const REARM: HeapOrder = {
  above: (a, b) => a.rearmBelow > b.rearmBelow,
  setPos: (machine, pos) => {
    machine.rearmPos = pos;
  },
};

function heapPush(heap: WatchMachine[], machine: WatchMachine, order: HeapOrder): void {
  heap.push(machine);
  order.setPos(machine, heap.length - 1);
  siftUp(heap, heap.length - 1, order);
}

function heapPop(heap: WatchMachine[], order: HeapOrder): void {
  const top = heap[0] as WatchMachine;
  const last = heap.pop() as WatchMachine;
  order.setPos(top, -1);
  if (heap.length > 0 && last !== top) {
    heap[0] = last;
    order.setPos(last, 0);
    siftDown(heap, 0, order);
  }
}

function siftUp(heap: WatchMachine[], start: number, order: HeapOrder): void {
  let pos = start;
  const machine = heap[pos] as WatchMachine;
  while (pos > 0) {
    const parentPos = (pos - 1) >> 1;
    const parent = heap[parentPos] as WatchMachine;
    if (!order.above(machine, parent)) break;
    heap[pos] = parent;
    order.setPos(parent, pos);
    pos = parentPos;
  }
  heap[pos] = machine;
  order.setPos(machine, pos);
}

function siftDown(heap: WatchMachine[], start: number, order: HeapOrder): void {
  let pos = start;
  const machine = heap[pos] as WatchMachine;
  const length = heap.length;
  for (;;) {
    const left = 2 * pos + 1;
    if (left >= length) break;
    const right = left + 1;
    let child = left;
    if (right < length && order.above(heap[right] as WatchMachine, heap[left] as WatchMachine)) child = right;
    const candidate = heap[child] as WatchMachine;
    if (!order.above(candidate, machine)) break;
    heap[pos] = candidate;
    order.setPos(candidate, pos);
    pos = child;
  }
  heap[pos] = machine;
  order.setPos(machine, pos);
}
