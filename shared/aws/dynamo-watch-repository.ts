import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Watch } from '../domain/watch.js';
import type { WindowName } from '../domain/window.js';
import type { SaveWatchOutcome, WatchRepository } from '../ports/watch-repository.js';
import { DynamoWatchedSymbols } from './dynamo-watched-symbols.js';
import { WATCH_KEYS, WATCHES_BY_SYMBOL_INDEX } from './resources.js';

interface WatchItem extends Watch {
  readonly watchKey: string;
  readonly symbolWatchKey: string;
}

/**
 * Sort key of the per-user counter item beside the watches (`#` sorts before every symbol, and the item
 * has no `symbol`, so the bySymbol index never sees it). dynalite has no transactions, so the limit is
 * held by a conditional counter: a slot is reserved (`watchCount < limit`) before a new watch is written.
 */
const COUNTER_SK = '#count';
const UNLIMITED = Number.MAX_SAFE_INTEGER;

/** Watches table: PK userKey, SK `SYMBOL#window`; GSI bySymbol: PK symbol, SK `userKey#window`. */
export class DynamoWatchRepository implements WatchRepository {
  /** Per-symbol watch counts, for the feed connector (see DynamoWatchedSymbols). */
  private readonly watched: DynamoWatchedSymbols;

  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.watched = new DynamoWatchedSymbols(dynamo, tableName);
  }

  async put(watch: Watch): Promise<void> {
    await this.save(watch, UNLIMITED);
  }

  async save(watch: Watch, maxPerUser: number): Promise<SaveWatchOutcome> {
    const item: WatchItem = {
      ...watch,
      watchKey: `${watch.symbol}#${watch.window}`,
      symbolWatchKey: `${watch.userKey}#${watch.window}`,
    };
    const replaced = await this.replace(item);
    if (replaced !== undefined) return { kind: 'replaced', previous: toWatch(replaced) };
    if (!(await this.reserveSlot(watch.userKey, maxPerUser))) return { kind: 'full', limit: maxPerUser };
    if ((await this.putIf(item, 'attribute_not_exists(#sk)')) !== undefined) {
      // A new watch of this user: one more watcher of the symbol, for the live feed's subscriptions.
      await this.watched.adjust(watch.symbol, 1);
      return { kind: 'created' };
    }
    // A concurrent save created the same watch first: give the slot back and replace it instead.
    await this.countDown(watch.userKey);
    return this.save(watch, maxPerUser);
  }

  async remove(userKey: string, symbol: string, window?: WindowName): Promise<number> {
    const targets =
      window === undefined
        ? (await this.listByUser(userKey)).filter((watch) => watch.symbol === symbol)
        : [{ symbol, window }];
    let removed = 0;
    for (const target of targets) {
      const result = await this.dynamo.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { [WATCH_KEYS.userKey]: userKey, [WATCH_KEYS.watchKey]: `${target.symbol}#${target.window}` },
          ReturnValues: 'ALL_OLD',
        }),
      );
      if (result.Attributes) {
        removed += 1;
        await this.countDown(userKey);
        await this.watched.adjust(target.symbol, -1);
      }
    }
    return removed;
  }

  async listByUser(userKey: string): Promise<Watch[]> {
    const items = await this.queryAll({
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': WATCH_KEYS.userKey },
      ExpressionAttributeValues: { ':pk': userKey },
    });
    return items.filter((item) => item[WATCH_KEYS.watchKey] !== COUNTER_SK).map(toWatch);
  }

  async listBySymbol(symbol: string): Promise<Watch[]> {
    const items = await this.queryAll({
      IndexName: WATCHES_BY_SYMBOL_INDEX,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': WATCH_KEYS.symbol },
      ExpressionAttributeValues: { ':pk': symbol },
    });
    return items.map(toWatch);
  }

  /**
   * Overwrites the user's watch on the same symbol and window, keeping its `createdAt`; returns the
   * watch it replaced, or undefined when there is none.
   */
  private async replace(item: WatchItem): Promise<Record<string, unknown> | undefined> {
    try {
      const result = await this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [WATCH_KEYS.userKey]: item.userKey, [WATCH_KEYS.watchKey]: item.watchKey },
          UpdateExpression:
            'SET #symbol = :symbol, thresholdPct = :threshold, #window = :window, direction = :direction, ' +
            '#hours = :hours, symbolWatchKey = :symbolWatchKey, createdAt = if_not_exists(createdAt, :createdAt)',
          ConditionExpression: 'attribute_exists(#sk)',
          ExpressionAttributeNames: {
            '#sk': WATCH_KEYS.watchKey,
            '#symbol': WATCH_KEYS.symbol,
            '#window': 'window',
            '#hours': 'hours',
          },
          ExpressionAttributeValues: {
            ':symbol': item.symbol,
            ':threshold': item.thresholdPct,
            ':window': item.window,
            ':direction': item.direction,
            ':hours': item.hours,
            ':symbolWatchKey': item.symbolWatchKey,
            ':createdAt': item.createdAt,
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return result.Attributes;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  /** Writes the item if `condition` holds; returns the item it replaced ({} when none), undefined when refused. */
  private async putIf(item: WatchItem, condition: string): Promise<Record<string, unknown> | undefined> {
    try {
      const result = await this.dynamo.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#sk': WATCH_KEYS.watchKey },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return result.Attributes ?? {};
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  /**
   * Takes one of the user's `max` slots, atomically. A user from before the counter existed gets one
   * first, set to the watches they have.
   */
  private async reserveSlot(userKey: string, max: number, retried = false): Promise<boolean> {
    try {
      await this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.counterKey(userKey),
          UpdateExpression: 'ADD watchCount :one',
          ConditionExpression: 'watchCount < :max',
          ExpressionAttributeValues: { ':one': 1, ':max': max },
        }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    if (retried) return false;
    // Full, or no counter yet: a counter created now, from the watches the user has, takes the slot.
    const count = (await this.listByUser(userKey)).length;
    if (count >= max) return false;
    try {
      await this.dynamo.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...this.counterKey(userKey), watchCount: count + 1 },
          ConditionExpression: 'attribute_not_exists(watchCount)',
        }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    // Another save created the counter meanwhile: its condition decides.
    return this.reserveSlot(userKey, max, true);
  }

  /** Gives a slot back; a user without a counter has none to give. */
  private async countDown(userKey: string): Promise<void> {
    try {
      await this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.counterKey(userKey),
          UpdateExpression: 'ADD watchCount :minusOne',
          ConditionExpression: 'watchCount > :zero',
          ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private counterKey(userKey: string): Record<string, string> {
    return { [WATCH_KEYS.userKey]: userKey, [WATCH_KEYS.watchKey]: COUNTER_SK };
  }

  private async queryAll(query: {
    IndexName?: string;
    KeyConditionExpression: string;
    ExpressionAttributeNames: Record<string, string>;
    ExpressionAttributeValues: Record<string, unknown>;
  }): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.dynamo.send(
        new QueryCommand({ TableName: this.tableName, ...query, ExclusiveStartKey: startKey }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }
}

function toWatch(item: Record<string, unknown>): Watch {
  const { userKey, symbol, thresholdPct, window, direction, hours, createdAt } = item as unknown as Watch;
  return { userKey, symbol, thresholdPct, window, direction, hours, createdAt };
}
