import { describe, expect, it } from 'vitest';
import { DrainWatch, EventSourceStoppedError } from '../../pipeline/runner/drain-watch.js';

/** Whether a promise has settled by the time pending callbacks have run. */
async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('DrainWatch', () => {
  it('resolves a wait at once when no shard is being read', async () => {
    const watch = new DrainWatch(new Set());
    expect(await settled(watch.wait())).toBe(true);
    expect(watch.waiting).toBe(false);
  });

  it('resolves a wait once every shard being read came up empty on a poll that began after it', async () => {
    const running = new Set(['shard-0', 'shard-1']);
    const watch = new DrainWatch(running);
    const pollBeforeWait = watch.pollEpoch;
    const drained = watch.wait();
    expect(watch.waiting).toBe(true);
    // A poll already under way when the wait began may have missed the records put before it.
    watch.markIdle('shard-0', pollBeforeWait);
    watch.markIdle('shard-1', watch.pollEpoch);
    expect(await settled(drained)).toBe(false);
    watch.markIdle('shard-0', watch.pollEpoch);
    expect(await settled(drained)).toBe(true);
    expect(watch.waiting).toBe(false);
  });

  it('counts an empty poll only for the waits begun before the poll', async () => {
    const watch = new DrainWatch(new Set(['shard-0']));
    const first = watch.wait();
    const pollOfFirst = watch.pollEpoch;
    const second = watch.wait();
    watch.markIdle('shard-0', pollOfFirst);
    expect(await settled(first)).toBe(true);
    expect(await settled(second)).toBe(false);
    watch.markIdle('shard-0', watch.pollEpoch);
    expect(await settled(second)).toBe(true);
  });

  it('resolves a wait on settle once the shards still unreported have left the running set', async () => {
    const running = new Set(['parent', 'sibling']);
    const watch = new DrainWatch(running);
    const drained = watch.wait();
    watch.markIdle('sibling', watch.pollEpoch);
    expect(await settled(drained)).toBe(false);
    // The parent was read to its end and stopped being read (its children start later).
    running.delete('parent');
    watch.settle();
    expect(await settled(drained)).toBe(true);
  });

  it('rejects every wait still open with the error given', async () => {
    const watch = new DrainWatch(new Set(['shard-0']));
    const waits = [watch.wait(), watch.wait()];
    watch.rejectAll(() => new EventSourceStoppedError('stream: stopped before it drained'));
    for (const wait of waits) await expect(wait).rejects.toBeInstanceOf(EventSourceStoppedError);
    expect(watch.waiting).toBe(false);
  });
});
