import { type DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { parseChannelKey } from '../domain/channel-key.js';
import type { AlertCounter, CommunitySymbols } from '../ports/digest-sources.js';
import { ALERTS_BY_SYMBOL_INDEX, WATCH_KEYS } from './resources.js';

/** Counts alert records of a symbol by time on the Alerts table's bySymbol index (PK symbol, SK toTs). */
export class DynamoAlertCounter implements AlertCounter {
  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async countAlerts(symbol: string, fromTs: number, toTs: number): Promise<number> {
    let count = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.dynamo.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: ALERTS_BY_SYMBOL_INDEX,
          KeyConditionExpression: 'symbol = :symbol AND toTs BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':symbol': symbol, ':from': fromTs, ':to': toTs - 1 },
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      );
      count += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return count;
  }
}

/**
 * The symbols watched by a channel's community, by scanning the Watches table once per digest.
 * A Slack userKey carries its team (`slack:<team>:<user>`), so a workspace's watches are exact. A
 * Discord userKey carries no guild (`discord:<user>`), so a guild's default is every symbol watched
 * through this Discord bot; list symbols in `/digest on` to narrow it.
 */
export class DynamoCommunitySymbols implements CommunitySymbols {
  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly watchesTable: string,
  ) {}

  async watchedIn(channelKey: string): Promise<string[]> {
    const channel = parseChannelKey(channelKey);
    if (channel === undefined) return [];
    const prefix = channel.platform === 'slack' ? `slack:${channel.community}:` : `${channel.platform}:`;
    const symbols = new Set<string>();
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.dynamo.send(
        new ScanCommand({
          TableName: this.watchesTable,
          FilterExpression: 'begins_with(#user, :prefix)',
          ExpressionAttributeNames: { '#user': WATCH_KEYS.userKey, '#symbol': WATCH_KEYS.symbol },
          ExpressionAttributeValues: { ':prefix': prefix },
          ProjectionExpression: '#symbol',
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) symbols.add(String(item.symbol));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return [...symbols].sort();
  }
}
