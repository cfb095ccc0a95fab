import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { SymbolDirectory } from '../core/symbol-directory.js';

export interface DynamoSymbolDirectoryOptions {
  /** How long a loaded list is reused. Default 60 s: new symbols are rare, keystrokes are not. */
  readonly refreshMs?: number;
  readonly now?: () => number;
}

/**
 * Known symbols from the Quotes table (PK symbol, SK `quote` for the latest quote). Autocomplete asks on
 * every keystroke, so the list is read with one paginated Scan (projecting only the symbol) and cached;
 * a market has thousands of symbols, not millions, so the whole list fits in memory.
 */
export class DynamoSymbolDirectory implements SymbolDirectory {
  private cached: { readonly symbols: readonly string[]; readonly loadedAt: number } | undefined;
  private loading: Promise<readonly string[]> | undefined;
  private readonly refreshMs: number;
  private readonly now: () => number;

  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoSymbolDirectoryOptions = {},
  ) {
    this.refreshMs = options.refreshMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  async search(prefix: string, limit: number): Promise<string[]> {
    const wanted = prefix.toUpperCase();
    const symbols = await this.symbols();
    const matches: string[] = [];
    for (const symbol of symbols) {
      if (!symbol.startsWith(wanted)) continue;
      matches.push(symbol);
      if (matches.length >= limit) break;
    }
    return matches;
  }

  private async symbols(): Promise<readonly string[]> {
    if (this.cached !== undefined && this.now() - this.cached.loadedAt < this.refreshMs)
      return this.cached.symbols;
    // Concurrent keystrokes share one scan.
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<readonly string[]> {
    const symbols: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.dynamo.send(
        new ScanCommand({
          TableName: this.tableName,
          ProjectionExpression: '#symbol',
          FilterExpression: '#sk = :quote',
          ExpressionAttributeNames: { '#symbol': 'symbol', '#sk': 'sk' },
          ExpressionAttributeValues: { ':quote': 'quote' },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        if (typeof item.symbol === 'string') symbols.push(item.symbol);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    symbols.sort();
    this.cached = { symbols, loadedAt: this.now() };
    return symbols;
  }
}
