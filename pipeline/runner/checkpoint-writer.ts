import type { CheckpointStore } from '../../shared/ports/checkpoint-store.js';

/**
 * One shard's checkpoint writes, in order. The write after a batch runs behind the next poll and
 * handler call instead of before them (a DynamoDB round trip less on every batch's path, as a Lambda
 * event source mapping's own bookkeeping costs the function nothing); it is awaited before the next
 * one starts, so at most one is in flight. A crash before it lands only moves the restart back to the
 * previous checkpoint: those records are delivered again, which every handler already survives.
 */
export class CheckpointWriter {
  private last: Promise<void> = Promise.resolve();
  private failure: { readonly error: unknown } | undefined;

  constructor(
    private readonly store: CheckpointStore,
    private readonly streamName: string,
    private readonly shardId: string,
  ) {}

  /** Writes after every write queued before; resolves once written. */
  write(sequenceNumber: string): Promise<void> {
    const written = this.last.then(() => this.store.put(this.streamName, this.shardId, sequenceNumber));
    this.last = written.catch((error: unknown) => {
      this.failure ??= { error };
    });
    return written;
  }

  /** Starts a write without waiting for it; a failure is thrown by the next `settled`. */
  writeBehind(sequenceNumber: string): void {
    this.write(sequenceNumber).catch(() => undefined);
  }

  /** Waits for the writes queued so far; throws the first that failed (the shard then restarts). */
  async settled(): Promise<void> {
    await this.last;
    const failure = this.failure;
    this.failure = undefined;
    if (failure !== undefined) throw failure.error;
  }
}
