import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CheckpointStore } from '../ports/checkpoint-store.js';

/** Checkpoints table: PK `stream#shard`, the last sequence number fully processed. */
export class DynamoCheckpointStore implements CheckpointStore {
  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(streamName: string, shardId: string): Promise<string | undefined> {
    const result = await this.dynamo.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { streamShard: `${streamName}#${shardId}` },
        ConsistentRead: true,
      }),
    );
    const sequenceNumber = result.Item?.sequenceNumber;
    return typeof sequenceNumber === 'string' ? sequenceNumber : undefined;
  }

  async put(streamName: string, shardId: string, sequenceNumber: string): Promise<void> {
    await this.dynamo.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          streamShard: `${streamName}#${shardId}`,
          sequenceNumber,
          updatedAt: new Date().toISOString(),
        },
      }),
    );
  }
}
