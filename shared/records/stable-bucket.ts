import { createHash } from 'node:crypto';

/**
 * A key's bucket among `buckets`: always the same for a key, spread evenly over keys (the MD5 of the key,
 * as Kinesis hashes partition keys). Lanes of a parallelisation factor and the live feed's drain turns.
 */
export function stableBucket(key: string, buckets: number): number {
  if (buckets <= 1) return 0;
  return createHash('md5').update(key, 'utf8').digest().readUInt32BE(0) % buckets;
}
