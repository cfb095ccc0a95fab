/** The runner stopped while someone waited for it to drain. */
export class EventSourceStoppedError extends Error {
  override readonly name = 'EventSourceStoppedError';
}

interface DrainWaiter {
  readonly epoch: number;
  readonly idleShards: Set<string>;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * Who waits for an event source to drain, and which shards have come up empty since each began waiting.
 * Every wait opens an epoch; a shard's empty poll counts for the waiters whose epoch had begun when the
 * poll did, so a poll already under way when someone starts waiting (it may have missed their records)
 * does not count for them.
 */
export class DrainWatch {
  private epoch = 0;
  private waiters: DrainWaiter[] = [];

  /** `running`: the shards being read now, which must all come up empty (the event source's own set). */
  constructor(private readonly running: ReadonlySet<string>) {}

  /** The epoch of a poll starting now: pass it to `markIdle` if the poll comes up empty. */
  get pollEpoch(): number {
    return this.epoch;
  }

  /** True while someone waits. */
  get waiting(): boolean {
    return this.waiters.length > 0;
  }

  /** Resolves once every shard being read has come up empty on a poll that began after this call. */
  wait(): Promise<void> {
    if (this.running.size === 0) return Promise.resolve();
    this.epoch += 1;
    const epoch = this.epoch;
    return new Promise((resolve, reject) =>
      this.waiters.push({ epoch, idleShards: new Set(), resolve, reject }),
    );
  }

  /** A poll of `shardId` that began in `pollEpoch` came up empty with nothing left in hand. */
  markIdle(shardId: string, pollEpoch: number): void {
    for (const waiter of this.waiters) {
      if (pollEpoch >= waiter.epoch) waiter.idleShards.add(shardId);
    }
    this.settle();
  }

  /** Resolves each waiter for whom every shard being read has come up empty since it began waiting. */
  settle(): void {
    this.waiters = this.waiters.filter((waiter) => {
      for (const shardId of this.running) if (!waiter.idleShards.has(shardId)) return true;
      waiter.resolve();
      return false;
    });
  }

  /** Rejects everyone still waiting. */
  rejectAll(error: () => Error): void {
    for (const waiter of this.waiters.splice(0)) waiter.reject(error());
  }
}
