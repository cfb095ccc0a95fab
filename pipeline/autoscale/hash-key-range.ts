/** A shard's slice of the 128-bit partition-key hash space, inclusive at both ends. */
export interface HashKeyRange {
  readonly startingHashKey: bigint;
  readonly endingHashKey: bigint;
}

/**
 * The starting hash key of the upper child when `range` is split in two equal halves. Kinesis wants
 * a key strictly inside the range: the lower child keeps [start, mid − 1], the upper [mid, end].
 */
export function midpointHashKey(range: HashKeyRange): bigint {
  return range.startingHashKey + (range.endingHashKey - range.startingHashKey + 1n) / 2n;
}

/** A range of one hash key cannot be split. */
export function isSplittable(range: HashKeyRange): boolean {
  return range.endingHashKey > range.startingHashKey;
}

/** Kinesis merges only shards whose ranges touch: one ends right before the other starts. */
export function areAdjacent(lower: HashKeyRange, upper: HashKeyRange): boolean {
  return lower.endingHashKey + 1n === upper.startingHashKey;
}
