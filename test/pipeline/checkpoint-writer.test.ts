import { describe, expect, it } from 'vitest';
import { CheckpointWriter } from '../../pipeline/runner/checkpoint-writer.js';
import type { CheckpointStore } from '../../shared/ports/checkpoint-store.js';

/** A checkpoint store whose writes finish only when the test lets them, in any order it likes. */
function gatedStore() {
  const written: string[] = [];
  const gates: { sequence: string; open: (failure?: Error) => void }[] = [];
  const store: CheckpointStore = {
    get: async () => written.at(-1),
    put: (_stream, _shard, sequence) =>
      new Promise<void>((resolve, reject) => {
        gates.push({
          sequence,
          open: (failure) => {
            if (failure) reject(failure);
            else {
              written.push(sequence);
              resolve();
            }
          },
        });
      }),
  };
  return { store, written, gates };
}

describe('CheckpointWriter', () => {
  it('starts a write only after the one before it has landed, so a checkpoint never goes back', async () => {
    // Prepare
    const { store, written, gates } = gatedStore();
    const writer = new CheckpointWriter(store, 'trades', 'shard-0');
    // Act
    writer.writeBehind('10');
    writer.writeBehind('20');
    await Promise.resolve();
    const startedBeforeFirstLanded = gates.map((gate) => gate.sequence);
    gates[0]?.open();
    await new Promise((resolve) => setImmediate(resolve));
    gates[1]?.open();
    await writer.settled();
    // Assess
    expect(startedBeforeFirstLanded).toEqual(['10']);
    expect(written).toEqual(['10', '20']);
  });

  it('throws a failed write-behind at the next settle, once', async () => {
    // Prepare
    const { store, gates } = gatedStore();
    const writer = new CheckpointWriter(store, 'trades', 'shard-0');
    writer.writeBehind('10');
    await Promise.resolve();
    // Act
    gates[0]?.open(new Error('DynamoDB unreachable'));
    const first = await writer.settled().then(
      () => 'settled',
      (error: Error) => error.message,
    );
    const second = await writer.settled().then(() => 'settled');
    // Assess
    expect([first, second]).toEqual(['DynamoDB unreachable', 'settled']);
  });
});
