/** A shard's write rate over a look-back window (its busiest minute). */
export interface ShardLoad {
  readonly bytesPerSecond: number;
  readonly recordsPerSecond: number;
}

/**
 * Per-shard write rates of a stream. CloudWatch's shard-level `IncomingBytes` / `IncomingRecords`
 * in the cloud; tests inject their own.
 */
export interface ShardLoadSource {
  /** The load of each shard in `shardIds`; a shard that wrote nothing in the window has zero load. */
  loadOf(streamName: string, shardIds: readonly string[]): Promise<ReadonlyMap<string, ShardLoad>>;
}
