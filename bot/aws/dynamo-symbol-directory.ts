import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { SYMBOL_DIRECTORY_KEY } from '../../shared/aws/dynamo-quote-repository.js';
import type { SymbolDirectory } from '../core/symbol-directory.js';

export interface DynamoSymbolDirectoryOptions {
  /** How long a loaded list is reused. Default 60 s: new symbols are rare, keystrokes are not. */
  readonly refreshMs?: number;
  readonly now?: () => number;
}

/**
 * Known symbols from the symbol directory item of the Quotes table (SYMBOL_DIRECTORY_KEY), which
 * whoever writes quotes keeps up to date. Autocomplete asks on every keystroke, so the list is read with
 * one GetItem, never a Scan of quotes and minute bars, and cached.
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
    // Concurrent keystrokes share one read.
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<readonly string[]> {
    const result = await this.dynamo.send(
      new GetCommand({
        TableName: this.tableName,
        Key: SYMBOL_DIRECTORY_KEY,
        ProjectionExpression: 'symbols',
      }),
    );
    const stored: unknown = result.Item?.symbols;
    const symbols =
      stored instanceof Set ? [...stored].filter((s): s is string => typeof s === 'string') : [];
    symbols.sort();
    this.cached = { symbols, loadedAt: this.now() };
    return symbols;
  }
}
