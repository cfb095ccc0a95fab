import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { LiveFeedStatus, LiveMode, WatchedSymbols } from '../ports/watched-symbols.js';
import { WATCH_KEYS } from './resources.js';

/**
 * Items of the Watches table that are not watches. User keys are `discord:…`, `slack:…` or `console:…`,
 * so a `#` partition can never meet a user's; the items carry no `symbol` attribute, so they stay out of
 * the bySymbol index and the detector's "who watches BAC" never sees them.
 */
const WATCHED_PARTITION = '#watched';
const FEED_STATUS_KEY = { [WATCH_KEYS.userKey]: '#feed', [WATCH_KEYS.watchKey]: 'status' };

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

/** A status older than this means no connector is running (it refreshes every FEED_STATUS_REFRESH_MS). */
const FEED_STATUS_STALE_MS = 90_000;
export const FEED_STATUS_REFRESH_MS = 30_000;

/** The running feed connector's subscription, in one item, so /watchlist can say "live: trades". */
export class DynamoLiveFeedStatus implements LiveFeedStatus {
  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  async save(trades: readonly string[], bars: readonly string[] | '*'): Promise<void> {
    await this.dynamo.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...FEED_STATUS_KEY,
          trades: [...trades],
          bars: bars === '*' ? '*' : [...bars],
          at: this.now(),
        },
      }),
    );
  }

  async clear(): Promise<void> {
    await this.save([], []);
  }

  async modes(symbols: readonly string[]): Promise<ReadonlyMap<string, LiveMode>> {
    const modes = new Map<string, LiveMode>();
    const { Item } = await this.dynamo.send(
      new GetCommand({ TableName: this.tableName, Key: FEED_STATUS_KEY }),
    );
    if (Item === undefined || this.now() - Number(Item.at) > FEED_STATUS_STALE_MS) return modes;
    const trades = new Set(Array.isArray(Item.trades) ? Item.trades.map(String) : []);
    const bars =
      Item.bars === '*' ? undefined : new Set(Array.isArray(Item.bars) ? Item.bars.map(String) : []);
    for (const symbol of symbols) {
      if (trades.has(symbol)) modes.set(symbol, 'trades');
      else if (bars === undefined || bars.has(symbol)) modes.set(symbol, 'bars');
    }
    return modes;
  }
}
