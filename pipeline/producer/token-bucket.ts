/** Per-shard write limits. Kinesis allows 1 MB/s and 1,000 records/s per shard. */
export interface ShardLimits {
  readonly recordsPerSecond: number;
  readonly bytesPerSecond: number;
}

export const KINESIS_SHARD_LIMITS: ShardLimits = { recordsPerSecond: 1000, bytesPerSecond: 1024 * 1024 };

/**
 * A token bucket for one shard's records and bytes, refilled continuously and holding at most one
 * second's worth, so the producer never bursts past what the shard accepts.
 */
export class TokenBucket {
  private records: number;
  private bytes: number;
  private refilledAt: number;

  constructor(
    private readonly limits: ShardLimits,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.records = limits.recordsPerSecond;
    this.bytes = limits.bytesPerSecond;
    this.refilledAt = now();
  }

  /** Takes one record of `size` bytes if the bucket holds enough; a record bigger than a second's bytes waits for a full bucket. */
  tryTake(size: number): boolean {
    this.refill();
    const needed = Math.min(size, this.limits.bytesPerSecond);
    if (this.records < 1 || this.bytes < needed) return false;
    this.records -= 1;
    this.bytes -= size;
    return true;
  }

  /** Milliseconds until a record of `size` bytes could be taken. */
  waitMs(size: number): number {
    this.refill();
    const needed = Math.min(size, this.limits.bytesPerSecond);
    const forRecords = ((1 - this.records) / this.limits.recordsPerSecond) * 1000;
    const forBytes = ((needed - this.bytes) / this.limits.bytesPerSecond) * 1000;
    return Math.max(0, forRecords, forBytes);
  }

  private refill(): void {
    const now = this.now();
    const seconds = (now - this.refilledAt) / 1000;
    this.refilledAt = now;
    this.records = Math.min(
      this.limits.recordsPerSecond,
      this.records + seconds * this.limits.recordsPerSecond,
    );
    this.bytes = Math.min(this.limits.bytesPerSecond, this.bytes + seconds * this.limits.bytesPerSecond);
  }
}
