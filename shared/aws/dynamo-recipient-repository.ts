import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DmBlock, RecipientRepository } from '../ports/recipient-repository.js';
import { resendUnprocessed } from './resend-unprocessed.js';

/** BatchGetItem's limit of keys per call. */
const BATCH_GET_KEYS = 100;
/** BatchGetItem calls for one chunk while DynamoDB leaves keys unprocessed (throttling), before giving up. */
const BATCH_GET_ATTEMPTS = 5;

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

  async dmChannels(userKeys: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const unique = [...new Set(userKeys)];
    for (let start = 0; start < unique.length; start += BATCH_GET_KEYS) {
      const keys: Record<string, unknown>[] = unique
        .slice(start, start + BATCH_GET_KEYS)
        .map((userKey) => ({ userKey }));
      await resendUnprocessed(
        keys,
        { attempts: BATCH_GET_ATTEMPTS, firstPauseMs: 80 },
        async (pending) => {
          const result = await this.dynamo.send(
            new BatchGetCommand({
              RequestItems: {
                [this.tableName]: { Keys: [...pending], ProjectionExpression: 'userKey, dmChannelId' },
              },
            }),
          );
          for (const item of result.Responses?.[this.tableName] ?? []) {
            if (typeof item.userKey === 'string' && typeof item.dmChannelId === 'string') {
              found.set(item.userKey, item.dmChannelId);
            }
          }
          return result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
        },
        (left) => new Error(`${left} recipients left unread after ${BATCH_GET_ATTEMPTS} BatchGetItem calls`),
      );
    }
    return found;
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
