import type { WindowSet } from './window-set.js';

/**
 * What a batch overwrote in the window sets it touched, so that a failed batch can be undone without having
 * copied every touched symbol's windows up front. A protected set keeps its array, and its heads and ends
 * aside; a write to an entry that was live then saves that entry first, once. So a batch costs what it
 * wrote, not what the windows hold (a full copy of a symbol's windows was 25 % of the handler at 10,000
 * symbols and 2 trades a record). A set that moves to a new array (a deque outgrew its ring, or the set
 * shrank) leaves the saved one untouched, so it logs nothing more.
 */
export class WindowUndoLog {
  private readonly sets: WindowSet[] = [];
  private readonly saved: WindowSet[] = [];
  /** Per saved entry: its index in the saved array, then the three numbers it held. */
  private readonly values: number[] = [];

  /** @internal A set now protected. */
  track(set: WindowSet): void {
    this.sets.push(set);
  }

  /** @internal An entry's old contents. */
  save(set: WindowSet, at: number, array: readonly number[]): void {
    this.saved.push(set);
    this.values.push(at, array[at] as number, array[at + 1] as number, array[at + 2] as number);
  }

  /** Keeps what the batch did and stops logging. */
  commit(): void {
    for (const set of this.sets) set.unprotect();
    this.clear();
  }

  /** Puts every protected set back as it was when protected. */
  rollback(): void {
    const values = this.values;
    for (let i = 0; i < this.saved.length; i += 1) {
      const at = i * 4;
      (this.saved[i] as WindowSet).restoreEntry(
        values[at] as number,
        values[at + 1] as number,
        values[at + 2] as number,
        values[at + 3] as number,
      );
    }
    for (const set of this.sets) set.restoreProtected();
    this.clear();
  }

  private clear(): void {
    this.sets.length = 0;
    this.saved.length = 0;
    this.values.length = 0;
  }
}
