/** Position of the local event-source runner in each shard (the cloud uses Lambda's own). */
export interface CheckpointStore {
  get(streamName: string, shardId: string): Promise<string | undefined>;
  put(streamName: string, shardId: string, sequenceNumber: string): Promise<void>;
}
