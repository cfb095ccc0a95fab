import { ShardLanes } from './shard-lanes.js';
import type { ShardOutcome, ShardReader } from './shard-reader.js';

/** A lane's part of a batch cannot checkpoint progress within it: other lanes may not have got that far. */
const IGNORE_PROGRESS_WITHIN_BATCH = { write: async () => undefined };

/**
 * Reads a shard with a parallelisation factor above 1 (Lambda's ParallelizationFactor): each batch is
 * split by partition key into lanes delivered concurrently (shard-lanes.ts), and the next poll does not
 * wait for the batch before it, only for room (at most `factor` batches out). Within a lane the mapping's
 * retries and bisection apply as in `readShardInOrder`; the shard's checkpoint moves only past batches
 * completed in every lane, so no progress within a batch is checkpointed.
 */
export async function readShardInLanes(reader: ShardReader, factor: number): Promise<ShardOutcome> {
  const lanes = new ShardLanes(
    factor,
    (part) => reader.deliver(part, IGNORE_PROGRESS_WITHIN_BATCH),
    reader.checkpoints,
  );
  try {
    let iterator = await reader.iterator();
    while (!reader.stopping && !lanes.stopped && iterator !== undefined) {
      await lanes.whenRoom();
      if (reader.stopping || lanes.stopped) break;
      const pollEpoch = reader.pollEpoch();
      const polled = await reader.poll(iterator);
      iterator = polled.iterator;
      if (polled.records.length > 0) {
        lanes.dispatch(polled.records, await reader.divertExpired(polled.records));
      } else if (lanes.idle) {
        await reader.pauseIdle(pollEpoch);
      } else {
        // Still delivering: not idle (nor drained), but the next records need not wait for those.
        await reader.pauseBusy();
      }
    }
    await lanes.settled();
    return iterator === undefined && !lanes.stopped ? 'ended' : 'stopped';
  } finally {
    // A lane still delivering must finish before the shard restarts from its checkpoint, or the
    // same key's records could be handled twice at once.
    await lanes.settled().catch(() => undefined);
  }
}
