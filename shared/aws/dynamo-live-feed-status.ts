import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { LiveFeedStatus, LiveMode } from '../ports/watched-symbols.js';
import { WATCH_KEYS } from './resources.js';

/** One item of the Watches table outside every user's partition (see DynamoWatchedSymbols). */
const FEED_STATUS_KEY = { [WATCH_KEYS.userKey]: '#feed', [WATCH_KEYS.watchKey]: 'status' };

/** A status older than this means no connector is running (a running one rewrites it every 10 s). */
const FEED_STATUS_STALE_MS = 90_000;

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
