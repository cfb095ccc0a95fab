import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Watch } from '../domain/watch.js';
import type { WindowName } from '../domain/window.js';
import type { WatchRepository } from '../ports/watch-repository.js';
import { DynamoWatchedSymbols } from './dynamo-watched-symbols.js';
import { WATCH_KEYS, WATCHES_BY_SYMBOL_INDEX } from './resources.js';

interface WatchItem extends Watch {
  readonly watchKey: string;
  readonly symbolWatchKey: string;
}

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
    const item: WatchItem = {
      ...watch,
      watchKey: `${watch.symbol}#${watch.window}`,
      symbolWatchKey: `${watch.userKey}#${watch.window}`,
    };
    const result = await this.dynamo.send(
      new PutCommand({ TableName: this.tableName, Item: item, ReturnValues: 'ALL_OLD' }),
    );
    if (result.Attributes === undefined) await this.watched.adjust(watch.symbol, 1);
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
        await this.watched.adjust(target.symbol, -1);
      }
    }
    return removed;
  }

  async listByUser(userKey: string): Promise<Watch[]> {
    return this.queryAll({
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': WATCH_KEYS.userKey },
      ExpressionAttributeValues: { ':pk': userKey },
    });
  }

  async listBySymbol(symbol: string): Promise<Watch[]> {
    return this.queryAll({
      IndexName: WATCHES_BY_SYMBOL_INDEX,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': WATCH_KEYS.symbol },
      ExpressionAttributeValues: { ':pk': symbol },
    });
  }

  private async queryAll(query: {
    IndexName?: string;
    KeyConditionExpression: string;
    ExpressionAttributeNames: Record<string, string>;
    ExpressionAttributeValues: Record<string, unknown>;
  }): Promise<Watch[]> {
    const watches: Watch[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.dynamo.send(
        new QueryCommand({ TableName: this.tableName, ...query, ExclusiveStartKey: startKey }),
      );
      for (const item of page.Items ?? []) watches.push(toWatch(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return watches;
  }
}

function toWatch(item: Record<string, unknown>): Watch {
  const { userKey, symbol, thresholdPct, window, direction, hours, createdAt } = item as unknown as Watch;
  return { userKey, symbol, thresholdPct, window, direction, hours, createdAt };
}
