import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DmBlock, RecipientRepository } from '../ports/recipient-repository.js';

/** Recipients table: PK userKey; attributes `dmChannelId` and `dmBlock` ({ code, reason, at }). */
export class DynamoRecipientRepository implements RecipientRepository {
  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async dmChannel(userKey: string): Promise<string | undefined> {
    const item = await this.item(userKey);
    return typeof item?.dmChannelId === 'string' ? item.dmChannelId : undefined;
  }

  async saveDmChannel(userKey: string, channelId: string): Promise<void> {
    await this.set(userKey, 'SET dmChannelId = :value', { ':value': channelId });
  }

  async markBlocked(userKey: string, block: DmBlock): Promise<void> {
    await this.set(userKey, 'SET dmBlock = :value', { ':value': block });
  }

  async blocked(userKey: string): Promise<DmBlock | undefined> {
    const block = (await this.item(userKey))?.dmBlock as DmBlock | undefined;
    return block && typeof block.code === 'string' ? block : undefined;
  }

  async clearBlocked(userKey: string): Promise<void> {
    await this.set(userKey, 'REMOVE dmBlock', undefined);
  }

  private async item(userKey: string): Promise<Record<string, unknown> | undefined> {
    const result = await this.dynamo.send(new GetCommand({ TableName: this.tableName, Key: { userKey } }));
    return result.Item;
  }

  private async set(userKey: string, expression: string, values: Record<string, unknown> | undefined) {
    await this.dynamo.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { userKey },
        UpdateExpression: expression,
        ...(values === undefined ? {} : { ExpressionAttributeValues: values }),
      }),
    );
  }
}
