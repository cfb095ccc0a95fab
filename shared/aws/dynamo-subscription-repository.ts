import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Subscription } from '../domain/subscription.js';
import type { PeriodClaim, SubscriptionRepository } from '../ports/subscription-repository.js';

/**
 * Subscriptions table: PK channelKey, one item per channel. Settings are written with UpdateItem so
 * that the posting state beside them (`periodTs`, `periodState`, `claimedAt`) survives a change of
 * settings. Claims are conditional updates: dynalite has no transactions, and two scheduler runs may
 * overlap.
 */
export class DynamoSubscriptionRepository implements SubscriptionRepository {
  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  async get(channelKey: string): Promise<Subscription | undefined> {
    const result = await this.dynamo.send(
      new GetCommand({ TableName: this.tableName, Key: { channelKey }, ConsistentRead: true }),
    );
    return result.Item === undefined || result.Item.schedule === undefined
      ? undefined
      : toSubscription(result.Item);
  }

  async save(subscription: Subscription): Promise<void> {
    await this.dynamo.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { channelKey: subscription.channelKey },
        UpdateExpression:
          'SET schedule = :schedule, symbols = :symbols, createdBy = :createdBy, createdAt = :createdAt, updatedAt = :updatedAt REMOVE unreachable',
        ExpressionAttributeValues: {
          ':schedule': subscription.schedule,
          ':symbols': [...subscription.symbols],
          ':createdBy': subscription.createdBy,
          ':createdAt': subscription.createdAt,
          ':updatedAt': subscription.updatedAt,
        },
      }),
    );
  }

  async remove(channelKey: string): Promise<boolean> {
    const result = await this.dynamo.send(
      new DeleteCommand({ TableName: this.tableName, Key: { channelKey }, ReturnValues: 'ALL_OLD' }),
    );
    return result.Attributes?.schedule !== undefined;
  }

  async listAll(): Promise<Subscription[]> {
    const subscriptions: Subscription[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.dynamo.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'attribute_exists(schedule)',
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) subscriptions.push(toSubscription(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return subscriptions;
  }

  async claimPeriod(channelKey: string, periodTs: number, leaseMs: number): Promise<PeriodClaim> {
    const now = this.now();
    try {
      await this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { channelKey },
          UpdateExpression: 'SET periodTs = :ts, periodState = :posting, claimedAt = :now',
          ConditionExpression:
            'attribute_exists(schedule) AND (attribute_not_exists(periodTs) OR periodTs < :ts OR ' +
            '(periodTs = :ts AND (periodState = :released OR (periodState = :posting AND claimedAt < :stale))))',
          ExpressionAttributeValues: {
            ':ts': periodTs,
            ':posting': 'posting',
            ':released': 'released',
            ':now': now,
            ':stale': now - leaseMs,
          },
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const item = (
      await this.dynamo.send(
        new GetCommand({ TableName: this.tableName, Key: { channelKey }, ConsistentRead: true }),
      )
    ).Item;
    return item?.periodTs === periodTs && item.periodState === 'posting' ? 'busy' : 'done';
  }

  async finishPeriod(channelKey: string, periodTs: number): Promise<void> {
    await this.setState(channelKey, periodTs, 'posted');
  }

  async releasePeriod(channelKey: string, periodTs: number): Promise<void> {
    await this.setState(channelKey, periodTs, 'released');
  }

  async markUnreachable(channelKey: string, code: string, at: number): Promise<void> {
    try {
      await this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { channelKey },
          UpdateExpression: 'SET unreachable = :unreachable',
          ConditionExpression: 'attribute_exists(schedule)',
          ExpressionAttributeValues: { ':unreachable': { code, at } },
        }),
      );
    } catch (error) {
      // Unsubscribed meanwhile: nothing to record.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private async setState(channelKey: string, periodTs: number, state: string): Promise<void> {
    try {
      await this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { channelKey },
          UpdateExpression: 'SET periodState = :state',
          ConditionExpression: 'periodTs = :ts',
          ExpressionAttributeValues: { ':state': state, ':ts': periodTs },
        }),
      );
    } catch (error) {
      // A later period was claimed meanwhile (or the channel unsubscribed): this state no longer matters.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

function toSubscription(item: Record<string, unknown>): Subscription {
  const { channelKey, schedule, symbols, createdBy, createdAt, updatedAt, unreachable } =
    item as unknown as Subscription;
  return {
    channelKey,
    schedule,
    symbols: symbols ?? [],
    createdBy,
    createdAt,
    updatedAt,
    ...(unreachable ? { unreachable } : {}),
  };
}
