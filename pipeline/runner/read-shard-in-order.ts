import { lastSequence } from './batch-delivery.js';
import type { ShardOutcome, ShardReader } from './shard-reader.js';

/**
 * Reads a shard one batch at a time (parallelisation factor 1) until the runner stops (`stopped`) or a
 * closed shard has no more records (`ended`). A batch is delivered before the next poll, so progress
 * within it (a bisected half, the records before a batch item failure) is checkpointed at once; a batch's
 * own checkpoint is written behind the next poll, with at most one write in flight, and a failed write
 * stops the loop before the next batch (the shard then restarts from its checkpoint).
 */
export async function readShardInOrder(reader: ShardReader): Promise<ShardOutcome> {
  const { checkpoints } = reader;
  let iterator = await reader.iterator();
  while (!reader.stopping && iterator !== undefined) {
    const pollEpoch = reader.pollEpoch();
    const polled = await reader.poll(iterator);
    iterator = polled.iterator;
    const records = polled.records;
    if (records.length === 0) {
      await reader.pauseIdle(pollEpoch);
      continue;
    }
    const fresh = await reader.divertExpired(records);
    const completed = fresh.length === 0 || (await reader.deliver(fresh, checkpoints));
    if (!completed) return 'stopped';
    // The previous batch's write had this whole batch to land; this one runs behind the next poll.
    await checkpoints.settled();
    checkpoints.writeBehind(lastSequence(records));
  }
  return iterator === undefined ? 'ended' : 'stopped';
}
