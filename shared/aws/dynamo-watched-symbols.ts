import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { WatchedSymbols } from '../ports/watched-symbols.js';
import { WATCH_KEYS } from './resources.js';

/**
 * Items of the Watches table that are not watches. User keys are `discord:…`, `slack:…` or `console:…`,
 * so a `#` partition can never meet a user's; the items carry no `symbol` attribute, so they stay out of
 * the bySymbol index and the detector's "who watches BAC" never sees them.
 */
const WATCHED_PARTITION = '#watched';

/**
 * The "which symbols are watched, with counts" directory: one counter item per symbol, kept by the watch
 * repository on every put of a new watch and every removal. Reading it is one Query of one partition,
 * however many users there are, so the feed connector can poll it every couple of seconds.
 */
export class DynamoWatchedSymbols implements WatchedSymbols {
  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Adds `delta` (±1) to the symbol's count. */
  async adjust(symbol: string, delta: number): Promise<void> {
    await this.dynamo.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { [WATCH_KEYS.userKey]: WATCHED_PARTITION, [WATCH_KEYS.watchKey]: symbol },
        UpdateExpression: 'ADD #count :delta',
        ExpressionAttributeNames: { '#count': 'watchCount' },
        ExpressionAttributeValues: { ':delta': delta },
      }),
    );
  }

  async counts(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.dynamo.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': WATCH_KEYS.userKey },
          ExpressionAttributeValues: { ':pk': WATCHED_PARTITION },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const count = Number(item.watchCount);
        if (count > 0) counts.set(String(item[WATCH_KEYS.watchKey]), count);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return counts;
  }
}
